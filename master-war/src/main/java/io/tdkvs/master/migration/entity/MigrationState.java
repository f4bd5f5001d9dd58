package io.tdkvs.master.migration.entity;

/** Where a migration is. */
public enum MigrationState {
    /** none has run since the master started */
    IDLE,
    /** moving keys */
    RUNNING,
    /** waiting for a volume that does not answer; it retries with back-off */
    PAUSED,
    /** every key is in place and the topology is settled */
    DONE,
    /** it stopped with keys left to move; the next start resumes it */
    FAILED
}
