package io.tdkvs.master.migration.entity;

/**
 * A migration's progress as the admin API shows it.
 *
 * @param description   what it does, e.g. "rebalance onto [http://127.0.0.1:3004, ...]"
 * @param moved         keys moved so far
 * @param total         keys to move in all (moved + still misplaced)
 * @param errors        moves that failed and will be retried
 * @param started       when it started (ISO-8601), or null
 * @param seconds       seconds since it started (until it ended)
 * @param keysPerSecond the average rate so far
 * @param etaSeconds    estimated seconds left, or null if unknown
 * @param message       the last problem, or null
 */
public record MigrationStatus(MigrationState state, String description, long moved, long total, long errors, String started,
                              double seconds, double keysPerSecond, Long etaSeconds, String message) {

    public static MigrationStatus idle() {
        return new MigrationStatus(MigrationState.IDLE, "", 0, 0, 0, null, 0, 0, null, null);
    }
}
