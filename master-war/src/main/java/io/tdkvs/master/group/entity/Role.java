package io.tdkvs.master.group.entity;

import java.util.Locale;

/** What a master of a group is doing now. A master on its own is always the {@link #LEADER}. */
public enum Role {
    /** its index is not open: it is starting, stopping, or reopening it after a rollback */
    OFFLINE,
    /** it knows no leader: an election is under way, or too few members answer */
    ELECTING,
    /** it follows a leader, whose answers it relays */
    FOLLOWER,
    /** it was elected and is taking over: the topology, the migration, the volumes */
    TAKING_OVER,
    /** it writes the index, calls the volumes and runs migrations, repairs and verifies */
    LEADER,
    /** it hands over to another member before it stops */
    STEPPING_DOWN;

    /** As the status shows it: {@code taking-over}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
