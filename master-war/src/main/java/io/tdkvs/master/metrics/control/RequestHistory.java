package io.tdkvs.master.metrics.control;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;

import io.tdkvs.master.migration.control.Migrator;
import io.tdkvs.master.migration.entity.MigrationState;
import io.tdkvs.master.migration.entity.MigrationStatus;
import io.tdkvs.master.repair.control.Verifier;

/**
 * The client API's last 15 minutes, in intervals of {@value #PERIOD_SECONDS} seconds: per operation and
 * status, how many requests and their latency (p50, p99); value bytes in and out. And the work since
 * the master started: each migration and verify that ended, with its outcome. What the console draws.
 */
@ApplicationScoped
public class RequestHistory {

    static final int PERIOD_SECONDS = 5;
    static final int KEPT = 15 * 60 / PERIOD_SECONDS;
    static final int WORK_KEPT = 100;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    Migrator migrator;

    @Inject
    Verifier verifier;

    private final AtomicReference<Interval> current = new AtomicReference<>(new Interval());
    private final ArrayDeque<Sample> samples = new ArrayDeque<>(KEPT);
    private final ArrayDeque<Work> work = new ArrayDeque<>();
    private String migrationLogged;
    private String verifyLogged;
    private ScheduledFuture<?> task;

    /** One interval: when it ended, its bytes and its requests. */
    public record Sample(long endedMillis, long bytesIn, long bytesOut, List<Requests> requests) {
    }

    /**
     * Requests of one operation that ended with one status in an interval.
     *
     * @param p50Millis the latency half of them stayed under (within a fifth), in milliseconds
     * @param p99Millis the latency 99 in 100 stayed under
     */
    public record Requests(String operation, int status, long count, double p50Millis, double p99Millis) {
    }

    /**
     * A migration or a verify that ended.
     *
     * @param kind  "migration" or "verify"
     * @param done  keys moved (migration) or checked (verify)
     * @param total keys to move (migration); for a verify, the keys it checked, as {@code done}
     */
    public record Work(String kind, String description, String state, String started, String ended, long done, long total,
                       String message) {
    }

    /** The intervals kept, oldest first, and the work since the start, newest last. */
    public record History(int periodSeconds, List<Sample> samples, List<Work> work) {
    }

    void start(@Observes Startup startup) {
        task = scheduler.scheduleAtFixedRate(this::close, PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    public void request(String operation, int status, long nanos) {
        current.get().requests.computeIfAbsent(operation + " " + status, id -> new Counted(operation, status)).record(nanos);
    }

    public void valueIn(long bytes) {
        current.get().bytesIn.add(bytes);
    }

    public void valueOut(long bytes) {
        current.get().bytesOut.add(bytes);
    }

    public synchronized History history() {
        return new History(PERIOD_SECONDS, List.copyOf(samples), List.copyOf(work));
    }

    /** Ends the current interval and starts the next. */
    void close() {
        long now = System.currentTimeMillis();
        closeInterval(now);
        synchronized (this) {
            noteWork(now);
        }
    }

    void closeInterval(long now) {
        Sample sample = current.getAndSet(new Interval()).sample(now);
        synchronized (this) {
            if (samples.size() == KEPT) {
                samples.removeFirst();
            }
            samples.addLast(sample);
        }
    }

    private void noteWork(long now) {
        MigrationStatus migration = migrator.status();
        boolean migrationEnded = migration.state() == MigrationState.DONE || migration.state() == MigrationState.FAILED;
        if (migrationEnded && migration.started() != null && !Objects.equals(migration.started(), migrationLogged)) {
            migrationLogged = migration.started();
            log(new Work("migration", migration.description(), migration.state().name().toLowerCase(Locale.ROOT),
                    migration.started(), Instant.ofEpochMilli(now).toString(), migration.moved(), migration.total(),
                    migration.message()));
        }
        Verifier.Status verify = verifier.status();
        if (verify.ended() != null && !Objects.equals(verify.ended(), verifyLogged)) {
            verifyLogged = verify.ended();
            log(new Work("verify", "verify " + String.join(", ", verify.volumes()), verify.state(), verify.started(),
                    verify.ended(), verify.keys(), verify.keys(), verify.message()));
        }
    }

    private void log(Work ended) {
        if (work.size() == WORK_KEPT) {
            work.removeFirst();
        }
        work.addLast(ended);
    }

    private static final class Interval {
        final Map<String, Counted> requests = new ConcurrentHashMap<>();
        final LongAdder bytesIn = new LongAdder();
        final LongAdder bytesOut = new LongAdder();

        Sample sample(long endedMillis) {
            List<Requests> figures = new ArrayList<>();
            for (Counted counted : requests.values()) {
                long[] counts = counted.latency.counts();
                figures.add(new Requests(counted.operation, counted.status, counted.count.sum(),
                        millis(LatencyHistogram.percentile(counts, 0.5)), millis(LatencyHistogram.percentile(counts, 0.99))));
            }
            figures.sort(Comparator.comparing(Requests::operation).thenComparingInt(Requests::status));
            return new Sample(endedMillis, bytesIn.sum(), bytesOut.sum(), figures);
        }

        private static double millis(long nanos) {
            return Math.round(nanos / 1_000.0) / 1_000.0;
        }
    }

    private static final class Counted {
        final String operation;
        final int status;
        final LongAdder count = new LongAdder();
        final LatencyHistogram latency = new LatencyHistogram();

        Counted(String operation, int status) {
            this.operation = operation;
            this.status = status;
        }

        void record(long nanos) {
            count.increment();
            latency.record(nanos);
        }
    }
}
