package io.tdkvs.master.migration.control;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
import io.tdkvs.master.keys.entity.Key;
import io.tdkvs.master.meta.control.MetaStore;
import io.tdkvs.master.migration.entity.MigrationStatus;
import io.tdkvs.master.meta.control.TopologyStore;
import io.tdkvs.master.topology.control.Cluster;
import io.tdkvs.master.topology.entity.Topology;
import io.tdkvs.master.topology.entity.Volume;

/**
 * Moves every key whose volume is not the one placement picks, after volumes were added or while
 * one is drained. It works in rounds over the index, {@code workers} moves at a time. A volume that
 * does not answer pauses it: it logs why and tries again, backing off up to 30 s. A round that
 * moves nothing for another reason ends it as failed. When nothing is left to move the topology is
 * settled: drained volumes leave it. It keeps no cursor: a restart begins a new round, which skips
 * every key already in place, so an interrupted migration resumes where it stopped.
 */
@ApplicationScoped
public class Migrator {

    private static final Logger LOG = Logger.getLogger(Migrator.class.getName());
    private static final int BATCH = 1000;
    private static final long LOG_EVERY_NANOS = Duration.ofSeconds(5).toNanos();
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
    MasterConfig config;

    @Resource
    ManagedThreadFactory threads;

    private volatile Progress progress;
    private volatile MigrationStatus last = MigrationStatus.idle();
    private volatile boolean stopping;

    /** Starts migrating on a thread of its own; completes with the final status. */
    public CompletableFuture<MigrationStatus> start(String description) {
        CompletableFuture<MigrationStatus> done = new CompletableFuture<>();
        Thread thread = threads.newThread(() -> {
            try {
                done.complete(run(description));
            } catch (RuntimeException | Error e) {
                LOG.log(Level.SEVERE, description + " failed", e);
                last = progress == null ? MigrationStatus.idle() : progress.end("failed", String.valueOf(e.getMessage()));
                done.complete(last);
            }
        });
        thread.setName("tdkvs-migration");
        thread.start();
        return done;
    }

    public MigrationStatus status() {
        Progress running = progress;
        return running == null ? last : running.status();
    }

    MigrationStatus run(String description) {
        progress = new Progress(description, countMisplaced());
        LOG.info(() -> description + ": " + progress.status().total() + " of " + metaKeys.count()
                + " keys to move, " + config.workers() + " at a time");
        ExecutorService workers = Executors.newFixedThreadPool(config.workers(), threads);
        try {
            Duration pause = Duration.ofSeconds(1);
            while (!stopping) {
                Round round = moveRound(workers);
                long misplaced = countMisplaced();
                if (misplaced == 0) {
                    break;
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
            if (stopping) {
                return finish("failed", "the master is stopping; the next start resumes");
            }
            Topology settled = cluster.topology().afterMigration();
            topologies.save(settled);
            cluster.set(settled);
            return finish("done", null);
        } finally {
            workers.shutdownNow();
        }
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
        for (List<MetaStore.Entry> batch; !(batch = metaKeys.scan(after, BATCH)).isEmpty(); ) {
            misplaced += batch.stream().filter(entry -> isMisplaced(topology, entry)).count();
            after = Optional.of(batch.get(batch.size() - 1).key());
        }
        return misplaced;
    }

    private static boolean isMisplaced(Topology topology, MetaStore.Entry entry) {
        return topology.locate(entry.key()).id() != entry.meta().volumeId();
    }

    /** One pass over the index, moving what is misplaced. */
    private Round moveRound(ExecutorService workers) {
        Topology topology = cluster.topology();
        Round round = new Round();
        long lastLog = System.nanoTime();
        Optional<Key> after = Optional.empty();
        for (List<MetaStore.Entry> batch; !stopping && !(batch = metaKeys.scan(after, BATCH)).isEmpty(); ) {
            List<Future<?>> moves = new ArrayList<>();
            for (MetaStore.Entry entry : batch) {
                if (isMisplaced(topology, entry)) {
                    moves.add(workers.submit(() -> moveOne(topology, entry, round)));
                }
            }
            awaitAll(moves);
            after = Optional.of(batch.get(batch.size() - 1).key());
            if (System.nanoTime() - lastLog > LOG_EVERY_NANOS) {
                LOG.info(progress::logLine);
                lastLog = System.nanoTime();
            }
        }
        return round;
    }

    private void moveOne(Topology topology, MetaStore.Entry entry, Round round) {
        try {
            Volume source = topology.volume(entry.meta().volumeId()).orElseThrow(() -> new StoreException(
                    Reason.VOLUME_FAILED, "key " + entry.key() + " is on volume #" + entry.meta().volumeId()
                    + ", which is not part of the cluster"));
            if (mover.move(entry.key(), entry.meta(), source, topology.locate(entry.key()))) {
                progress.moved();
                round.addMoved();
            }
        } catch (StoreException e) {
            progress.failed(e.getMessage());
            round.failed(e);
        }
    }

    private static void awaitAll(List<Future<?>> moves) {
        for (Future<?> move : moves) {
            try {
                move.get();
            } catch (ExecutionException e) {
                LOG.log(Level.SEVERE, "a move failed unexpectedly", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
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

    /** What one pass achieved. */
    private static final class Round {
        private final java.util.concurrent.atomic.AtomicLong moved = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicLong unavailable = new java.util.concurrent.atomic.AtomicLong();
        private volatile String firstProblem;

        void addMoved() {
            moved.incrementAndGet();
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

        String firstProblem() {
            return firstProblem;
        }
    }
}
