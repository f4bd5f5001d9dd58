package io.tdkvs.master.migration.control;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The pauses of work that waits for a volume to answer again: 1 s, then twice as long each time,
 * up to 30 s, until {@link #reset}. Not thread-safe: one per worker.
 */
public final class Backoff {

    private static final Duration FIRST = Duration.ofSeconds(1);
    private static final Duration MAX = Duration.ofSeconds(30);
    private static final Duration SLICE = Duration.ofMillis(250);

    private Duration next = FIRST;

    /** The pause the next {@link #pause} takes. */
    public Duration next() {
        return next;
    }

    /** Pauses, and doubles the next pause; false if the thread was interrupted (the caller stops). */
    public boolean pause() {
        boolean slept = sleep(next);
        next = next.multipliedBy(2).compareTo(MAX) > 0 ? MAX : next.multipliedBy(2);
        return slept;
    }

    /**
     * Pauses, a slice at a time, and doubles the next pause; false (at once) when {@code halted} turns
     * true or the thread was interrupted: the caller stops.
     */
    public boolean pause(BooleanSupplier halted) {
        long end = System.nanoTime() + next.toNanos();
        next = next.multipliedBy(2).compareTo(MAX) > 0 ? MAX : next.multipliedBy(2);
        for (long left; !halted.getAsBoolean() && (left = end - System.nanoTime()) > 0; ) {
            if (!sleep(Duration.ofNanos(Math.min(left, SLICE.toNanos())))) {
                return false;
            }
        }
        return !halted.getAsBoolean();
    }

    /** The work went on: the next pause is short again. */
    public void reset() {
        next = FIRST;
    }

    /** Sleeps; false if the thread was interrupted, which it stays. */
    public static boolean sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
