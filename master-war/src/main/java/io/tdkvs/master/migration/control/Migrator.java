package io.tdkvs.master.migration.control;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.tdkvs.config.MasterConfig;
import io.tdkvs.master.errors.Reason;
import io.tdkvs.master.errors.StoreException;
import io.tdkvs.master.keys.control.WritesInFlight;
import io.tdkvs.master.keys.entity.Key;
import io.tdkvs.master.meta.control.MetaStore;
import io.tdkvs.master.migration.entity.MigrationStatus;
import io.tdkvs.master.meta.control.TopologyStore;
import io.tdkvs.master.topology.control.Cluster;
import io.tdkvs.master.topology.entity.Topology;
import io.tdkvs.master.topology.entity.Volume;

/**
 * Moves every key whose volume is not the one placement picks, after volumes were added or while
 * one is drained, while the master serves. It works in rounds over the index: misplaced keys are
 * grouped by source and target into batches of up to {@value #BATCH_KEYS} keys, and {@code workers}
 * batches move at a time (see {@link Mover}). A volume that does not answer pauses it: it logs why
 * and tries again, backing off up to 30 s. A round that moves nothing for another reason ends it as
 * failed. When nothing is left to move, leftovers are swept from the draining volumes (from every
 * volume after a crash or a failed clean-up) and the topology is settled: drained volumes leave it.
 * It keeps no cursor: a restart begins a new round, which skips every key already in place, so an
 * interrupted migration resumes where it stopped.
 */
@ApplicationScoped
public class Migrator {

    private static final Logger LOG = Logger.getLogger(Migrator.class.getName());
    private static final int SCAN = 1000;
    static final int BATCH_KEYS = 256;
    private static final long BATCH_BYTES = 64L << 20;
    private static final long LOG_EVERY_NANOS = Duration.ofSeconds(3).toNanos();
    private static final Duration MAX_PAUSE = Duration.ofSeconds(30);

    @Inject
    MetaStore metaKeys;

    @Inject
    TopologyStore topologies;

    @Inject
    Cluster cluster;

    @Inject
    Mover mover;

    @Inject
    Sweeper sweeper;

    @Inject
    WritesInFlight writes;

    @Inject
    MasterConfig config;

    @Resource
    ManagedThreadFactory threads;

    private volatile Progress progress;
    private volatile MigrationStatus last = MigrationStatus.idle();
    private volatile boolean stopping;
    private volatile long lastLog;
    private volatile ExecutorService cleanups;

    /**
     * Starts migrating on a thread of its own; completes with the final status.
     *
     * @param sweepAll whether to sweep every volume at the end, not only the draining ones: the
     *                 previous run may have been cut short and left copies behind
     */
    public CompletableFuture<MigrationStatus> start(String description, boolean sweepAll) {
        CompletableFuture<MigrationStatus> done = new CompletableFuture<>();
        Thread thread = threads.newThread(() -> {
            try {
                done.complete(run(description, sweepAll));
            } catch (RuntimeException | Error e) {
                LOG.log(Level.SEVERE, description + " failed", e);
                last = progress == null ? MigrationStatus.idle() : progress.end("failed", String.valueOf(e.getMessage()));
                progress = null;
                done.complete(last);
            }
        });
        thread.setName("tdkvs-migration");
        progress = new Progress(description, 0);
        thread.start();
        return done;
    }

    public MigrationStatus status() {
        Progress running = progress;
        return running == null ? last : running.status();
    }

    /** Whether a migration is under way. */
    public boolean running() {
        return progress != null;
    }

    MigrationStatus run(String description, boolean sweepAll) {
        progress.remaining(countMisplaced());
        LOG.info(() -> description + ": " + progress.status().total() + " of " + metaKeys.count()
                + " keys to move, " + config.workers() + " batches of up to " + Pace.batchKeys(config.moveRate())
                + " keys at a time" + (config.moveRate() > 0 ? ", at most " + config.moveRate() + " keys/s" : ""));
        lastLog = System.nanoTime();
        ExecutorService workers = Executors.newFixedThreadPool(config.workers(), threads);
        cleanups = Executors.newFixedThreadPool(config.workers(), threads);
        try {
            Duration pause = Duration.ofSeconds(1);
            boolean sweepEvery = sweepAll;
            while (!stopping) {
                cluster.clearStrays();
                Round round = moveRound(workers);
                sweepEvery |= round.orphansLeft();
                long misplaced = countMisplaced();
                if (misplaced == 0) {
                    try {
                        sweep(sweepEvery);
                        sweepEvery = false;
                        if (cluster.setIfNoStrays(this::settle)) {
                            return finish("done", null);
                        }
                        continue;
                    } catch (StoreException e) {
                        round.failed(e);
                    }
                }
                progress.remaining(misplaced);
                if (round.unavailable() == 0 && round.moved() == 0) {
                    return finish("failed", misplaced + " keys could not be moved: " + Optional.ofNullable(round.firstProblem()).orElse("no move succeeded"));
                }
                if (round.unavailable() > 0) {
                    progress.paused(round.firstProblem());
                    LOG.warning(String.format("%s paused: %s; %d keys still to move, retrying in %d s",
                            description, round.firstProblem(), misplaced, pause.toSeconds()));
                    sleep(pause);
                    pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
                    progress.running();
                }
            }
            return finish("failed", "the master is stopping; the next start resumes");
        } finally {
            workers.shutdownNow();
            cleanups.shutdownNow();
        }
    }

    private void sweep(boolean everyVolume) {
        Topology topology = cluster.topology();
        long below = writes.oldestUnfinished();
        for (Volume volume : everyVolume ? topology.volumes() : topology.draining()) {
            long removed = sweeper.sweep(volume, below);
            if (removed > 0) {
                LOG.info(() -> "removed " + removed + " leftover blobs from " + volume);
            }
        }
    }

    private Topology settle() {
        Topology settled = cluster.topology().afterMigration();
        topologies.save(settled);
        return settled;
    }

    private MigrationStatus finish(String state, String message) {
        last = progress.end(state, message);
        LOG.log(state.equals("done") ? Level.INFO : Level.SEVERE, () -> String.format("%s %s: %d keys moved in %.1f s (%.0f keys/s)%s",
                last.description(), state, last.moved(), last.seconds(), last.keysPerSecond(),
                message == null ? "" : "; " + message));
        progress = null;
        return last;
    }

    private long countMisplaced() {
        Topology topology = cluster.topology();
        long misplaced = 0;
        Optional<Key> after = Optional.empty();
        for (List<MetaStore.Entry> batch; !(batch = metaKeys.scan(after, SCAN)).isEmpty(); ) {
            misplaced += batch.stream().filter(entry -> isMisplaced(topology, entry)).count();
            after = Optional.of(batch.get(batch.size() - 1).key());
        }
        return misplaced;
    }

    private static boolean isMisplaced(Topology topology, MetaStore.Entry entry) {
        return topology.locate(entry.key()).id() != entry.meta().volumeId();
    }

    /** One pass over the index, moving what is misplaced in batches per source and target. */
    private Round moveRound(ExecutorService workers) {
        Topology topology = cluster.topology();
        Round round = new Round();
        Pace pace = new Pace(config.moveRate());
        Semaphore slots = new Semaphore(2 * config.workers());
        Map<Route, Batch> open = new HashMap<>();
        Optional<Key> after = Optional.empty();
        for (List<MetaStore.Entry> scanned; !stopping && !(scanned = metaKeys.scan(after, SCAN)).isEmpty(); ) {
            for (MetaStore.Entry entry : scanned) {
                int placed = topology.locate(entry.key()).id();
                if (placed != entry.meta().volumeId()) {
                    Route route = new Route(entry.meta().volumeId(), placed);
                    Batch batch = open.computeIfAbsent(route, r -> new Batch(Pace.batchKeys(config.moveRate())));
                    batch.add(entry);
                    if (batch.full()) {
                        submit(workers, slots, pace, topology, route, open.remove(route), round);
                    }
                }
            }
            after = Optional.of(scanned.get(scanned.size() - 1).key());
        }
        open.forEach((route, batch) -> submit(workers, slots, pace, topology, route, batch, round));
        slots.acquireUninterruptibly(2 * config.workers());
        round.awaitCleanups();
        return round;
    }

    /** Hands a batch to a worker once the pace allows it and a slot is free. */
    private void submit(ExecutorService workers, Semaphore slots, Pace pace, Topology topology, Route route, Batch batch,
                        Round round) {
        pace.await(batch.entries.size());
        slots.acquireUninterruptibly();
        try {
            workers.execute(() -> {
                try {
                    moveBatch(topology, route, batch.entries, round);
                } finally {
                    slots.release();
                }
            });
        } catch (RejectedExecutionException e) {
            slots.release();
            round.failed(new StoreException(Reason.NOT_SERVING, "the master is stopping"));
        }
    }

    private void moveBatch(Topology topology, Route route, List<MetaStore.Entry> entries, Round round) {
        try {
            Volume source = topology.volume(route.source()).orElseThrow(() -> new StoreException(Reason.VOLUME_FAILED,
                    entries.size() + " keys are on volume #" + route.source() + ", which is not part of the cluster"));
            Volume target = topology.volume(route.target()).orElseThrow();
            Mover.Outcome outcome = mover.move(entries, source, target, cleanups);
            progress.moved(outcome.moved());
            round.add(outcome);
            outcome.problems().forEach(problem -> {
                progress.failed(problem);
                round.failed(new StoreException(Reason.VOLUME_FAILED, problem));
            });
        } catch (StoreException e) {
            progress.failed(e.getMessage());
            round.failed(e);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "a batch of moves failed unexpectedly", e);
            progress.failed(String.valueOf(e.getMessage()));
            round.failed(new StoreException(Reason.VOLUME_FAILED, "a batch of moves failed: " + e));
        }
        if (System.nanoTime() - lastLog > LOG_EVERY_NANOS) {
            lastLog = System.nanoTime();
            LOG.info(progress::logLine);
        }
    }

    private void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    @PreDestroy
    void stop() {
        stopping = true;
    }

    /** Keys that move from one volume to another, by volume id. */
    private record Route(int source, int target) {
    }

    /**
     * Holds a migration to {@code moveRate} keys per second, if set: batches shrink to a quarter of a
     * second's worth, and each waits for its turn.
     */
    private final class Pace {
        private final int rate;
        private final long start = System.nanoTime();
        private long keys;

        Pace(int rate) {
            this.rate = rate;
        }

        static int batchKeys(int rate) {
            return rate == 0 ? BATCH_KEYS : Math.max(1, Math.min(BATCH_KEYS, rate / 4));
        }

        void await(int batchKeys) {
            if (rate > 0) {
                long due = start + keys * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    sleep(Duration.ofNanos(wait));
                }
            }
            keys += batchKeys;
        }
    }

    /** Keys gathered for one move, up to a count or a number of bytes. */
    private static final class Batch {
        private final List<MetaStore.Entry> entries = new ArrayList<>();
        private final int maxKeys;
        private long bytes;

        Batch(int maxKeys) {
            this.maxKeys = maxKeys;
        }

        void add(MetaStore.Entry entry) {
            entries.add(entry);
            bytes += entry.meta().size();
        }

        boolean full() {
            return entries.size() >= maxKeys || bytes >= BATCH_BYTES;
        }
    }

    /** What one pass achieved. */
    private static final class Round {
        private final AtomicLong moved = new AtomicLong();
        private final AtomicLong unavailable = new AtomicLong();
        private volatile boolean orphansLeft;
        private final List<CompletableFuture<Boolean>> cleanups = java.util.Collections.synchronizedList(new ArrayList<>());
        private volatile String firstProblem;

        void add(Mover.Outcome outcome) {
            moved.addAndGet(outcome.moved());
            cleanups.add(outcome.cleaned());
        }

        /** Waits until every batch has cleaned up after itself; notes whether any left blobs behind. */
        void awaitCleanups() {
            for (CompletableFuture<Boolean> cleanup : List.copyOf(cleanups)) {
                if (!cleanup.exceptionally(failure -> false).join()) {
                    orphansLeft = true;
                }
            }
        }

        void failed(StoreException e) {
            if (e.reason() == Reason.VOLUME_UNAVAILABLE) {
                unavailable.incrementAndGet();
            }
            if (firstProblem == null) {
                firstProblem = e.getMessage();
            }
        }

        long moved() {
            return moved.get();
        }

        long unavailable() {
            return unavailable.get();
        }

        boolean orphansLeft() {
            return orphansLeft;
        }

        String firstProblem() {
            return firstProblem;
        }
    }
}
