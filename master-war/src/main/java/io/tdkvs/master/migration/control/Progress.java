package io.tdkvs.master.migration.control;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

import io.tdkvs.master.migration.entity.MigrationState;
import io.tdkvs.master.migration.entity.MigrationStatus;

/**
 * The counters of a running migration, read by the status endpoint; logged every
 * {@value #LOG_EVERY_SECONDS} seconds while keys move.
 */
final class Progress {

    private static final Logger LOG = Logger.getLogger(Progress.class.getName());
    private static final long LOG_EVERY_SECONDS = 3;

    private final String description;
    private final long startNanos = System.nanoTime();
    private final Instant started = Instant.now();
    private final AtomicLong moved = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile long total;
    private volatile MigrationState state = MigrationState.RUNNING;
    private volatile String message;
    private volatile long endNanos;
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime());

    Progress(String description, long total) {
        this.description = description;
        this.total = total;
    }

    void moved(long keys) {
        moved.addAndGet(keys);
        long last = lastLog.get();
        long now = System.nanoTime();
        if (now - last > LOG_EVERY_SECONDS * 1_000_000_000L && lastLog.compareAndSet(last, now)) {
            LOG.info(this::logLine);
        }
    }

    void failed(String problem) {
        errors.incrementAndGet();
        message = problem;
    }

    /** After a round that left keys behind: what is still to move, counted afresh. */
    void remaining(long misplaced) {
        total = moved.get() + misplaced;
        errors.set(0);
    }

    void paused(String problem) {
        state = MigrationState.PAUSED;
        message = problem;
    }

    void running() {
        state = MigrationState.RUNNING;
    }

    MigrationStatus end(MigrationState finalState, String finalMessage) {
        state = finalState;
        message = finalMessage;
        endNanos = System.nanoTime();
        return status();
    }

    MigrationStatus status() {
        double seconds = ((endNanos == 0 ? System.nanoTime() : endNanos) - startNanos) / 1e9;
        long done = moved.get();
        double rate = seconds > 0 ? done / seconds : 0;
        Long eta = rate > 0 && endNanos == 0 ? Math.round(Math.max(0, total - done) / rate) : null;
        return new MigrationStatus(state, description, done, total, errors.get(), started.toString(),
                round(seconds), round(rate), eta, message);
    }

    String logLine() {
        MigrationStatus now = status();
        long percent = now.total() == 0 ? 100 : 100 * now.moved() / now.total();
        return String.format("%s: %d/%d keys moved (%d%%), %.0f keys/s, ETA %s", description, now.moved(), now.total(),
                percent, now.keysPerSecond(), now.etaSeconds() == null ? "unknown" : now.etaSeconds() + " s");
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
