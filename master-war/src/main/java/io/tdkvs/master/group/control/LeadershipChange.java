package io.tdkvs.master.group.control;

/**
 * A CDI event: this master began leading the group in {@code term} ({@code elected}), or stopped
 * leading it. Observers start or stop the leader's work; they run on the group's own thread, one
 * change after the other.
 */
public record LeadershipChange(boolean elected, long term) {
}
