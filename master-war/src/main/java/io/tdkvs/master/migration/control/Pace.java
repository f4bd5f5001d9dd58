package io.tdkvs.master.migration.control;

import java.time.Duration;

/**
 * Holds a migration (or a verify) to {@code moveRate} keys per second, if set: batches shrink to a
 * quarter of a second's worth, and each waits for its turn.
 */
public final class Pace {

    static final int BATCH_KEYS = 256;

    private final int rate;
    private final long start = System.nanoTime();
    private long keys;

    /** @param rate keys per second; 0 for no cap */
    public Pace(int rate) {
        this.rate = rate;
    }

    /** How many keys a batch holds at most. */
    public int batchKeys() {
        return rate == 0 ? BATCH_KEYS : Math.max(1, Math.min(BATCH_KEYS, rate / 4));
    }

    /** Waits until a batch of {@code batchKeys} may go; answers false if interrupted. */
    public boolean await(int batchKeys) {
        if (rate > 0) {
            long wait = start + keys * 1_000_000_000L / rate - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(Duration.ofNanos(wait).toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        keys += batchKeys;
        return true;
    }
}
