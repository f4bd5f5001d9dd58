package io.tdkvs.master.group.entity;

/**
 * One member of the group as the status shows it.
 *
 * @param role    {@code leader}, {@code follower}, {@code electing} (knows no leader), or {@code unknown}
 *                (did not answer)
 * @param answers whether it answered on its replication port when last asked (every few seconds)
 * @param lag     how many entries of the leader's replicated log it has yet to apply; null if unknown
 * @param joined  whether it is a member of the replication group (a new member joins at its first start)
 */
public record MemberView(String name, String url, String role, boolean answers, Long lag, boolean joined) {
}
