package io.tdkvs.master.migration.control;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.tdkvs.config.MasterConfig;
import io.tdkvs.master.errors.StoreException;
import io.tdkvs.master.group.control.Leadership;
import io.tdkvs.master.keys.control.WritesInFlight;
import io.tdkvs.master.keys.entity.Key;
import io.tdkvs.master.meta.control.MetaStore;
import io.tdkvs.master.meta.control.TopologyStore;
import io.tdkvs.master.migration.entity.MigrationState;
import io.tdkvs.master.migration.entity.MigrationStatus;
import io.tdkvs.master.topology.control.Cluster;
import io.tdkvs.master.topology.entity.Topology;
import io.tdkvs.master.topology.entity.Volume;

/**
 * Moves every key whose volume is not the one placement picks, after volumes were added or while
 * one is drained, while the master serves. It works in rounds over the index ({@link MoveRound}) until
 * none is left misplaced. A fault that may pass (a volume that does not answer or not in time, answers
 * a 5xx, or is full) pauses it: it logs why and tries again, backing off up to 30 s, until the fault is
 * gone. A key that cannot be moved, whatever is tried (its only copy missing or damaged), is named
 * and skipped, and the rest moves; only {@value #FRUITLESS_ROUNDS} rounds in a row that move nothing
 * with no such fault end it as failed. When
 * nothing is left to move, leftovers are swept from the draining volumes (from every volume after a
 * crash or a failed clean-up) and the topology is settled: drained volumes leave it. It keeps no
 * cursor: a restart begins a new round, which skips every key already in place, so an interrupted
 * migration resumes where it stopped.
 */
@ApplicationScoped
public class Migrator {

    private static final Logger LOG = Logger.getLogger(Migrator.class.getName());
    /** Rounds in a row that move nothing, with no fault that may pass, before a migration gives up. */
    private static final int FRUITLESS_ROUNDS = 5;

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

    @Inject
    Leadership leadership;

    @Resource
    ManagedThreadFactory threads;

    private volatile Progress progress;
    private volatile MigrationStatus last = MigrationStatus.idle();
    private volatile boolean stopping;

    /**
     * Starts migrating on a thread of its own; completes with the final status.
     *
     * @param sweepAll whether to sweep every volume at the end, not only the draining ones: the
     *                 previous run may have been cut short and left copies behind
     */
    public CompletableFuture<MigrationStatus> start(String description, boolean sweepAll) {
        CompletableFuture<MigrationStatus> done = new CompletableFuture<>();
        long term = leadership.view().term();
        progress = new Progress(description, 0);
        Thread thread = threads.newThread(() -> {
            try {
                done.complete(run(description, sweepAll, () -> halted(term)));
            } catch (RuntimeException | Error e) {
                LOG.log(Level.SEVERE, description + " failed", e);
                done.complete(finish(MigrationState.FAILED, String.valueOf(e.getMessage())));
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

    /** Whether a migration is under way. */
    public boolean running() {
        return progress != null;
    }

    /** Whether work of {@code term} must stop: the master stops, or no longer leads in that term. */
    private boolean halted(long term) {
        return stopping || !leadership.holds(term);
    }

    /** Waits up to {@code timeout} for a migration that is stopping to end; answers whether none runs. */
    public boolean awaitEnd(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (running() && System.nanoTime() < deadline) {
            if (!Backoff.sleep(Duration.ofMillis(50))) {
                return false;
            }
        }
        return !running();
    }

    private MigrationStatus run(String description, boolean sweepAll, BooleanSupplier halted) {
        Pace pace = new Pace(config.moveRate());
        progress.remaining(countMisplaced());
        LOG.info(() -> description + ": " + progress.status().total() + " of " + metaKeys.count()
                + " keys to move, " + config.workers() + " batches of up to " + pace.batchKeys()
                + " keys at a time" + (config.moveRate() > 0 ? ", at most " + config.moveRate() + " keys/s" : ""));
        try (Pools pools = new Pools(config.workers())) {
            Backoff backoff = new Backoff();
            boolean sweepEvery = sweepAll;
            Set<Key> skipped = ConcurrentHashMap.newKeySet();
            int fruitless = 0;
            while (!halted.getAsBoolean()) {
                cluster.clearStrays();
                MoveRound round = pools.round(after -> metaKeys.scan(after, MoveRound.SCAN), progress, pace, halted, skipped);
                sweepEvery |= round.orphansLeft();
                skipped.addAll(round.skipped());
                long misplaced = countMisplaced(skipped);
                if (misplaced == 0) {
                    try {
                        sweep(sweepEvery);
                        sweepEvery = false;
                        if (cluster.setIfNoStrays(this::settle)) {
                            return skipped.isEmpty() ? finish(MigrationState.DONE, null) : finish(MigrationState.DONE, skippedMessage(skipped));
                        }
                        continue;
                    } catch (StoreException e) {
                        round.failed(e);
                    }
                }
                progress.remaining(misplaced);
                if (round.passing() == 0 && round.moved() == 0 && ++fruitless >= FRUITLESS_ROUNDS) {
                    return finish(MigrationState.FAILED, misplaced + " keys could not be moved in " + FRUITLESS_ROUNDS
                            + " rounds: " + Optional.ofNullable(round.firstProblem()).orElse("no move succeeded"));
                }
                if (round.passing() > 0 || round.moved() == 0) {
                    String why = Optional.ofNullable(round.firstProblem()).orElse("no move succeeded");
                    progress.paused(why);
                    LOG.warning(String.format("%s paused: %s; %d keys still to move, retrying in %d s",
                            description, why, misplaced, backoff.next().toSeconds()));
                    backoff.pause(halted);
                    progress.running();
                } else {
                    fruitless = 0;
                    backoff.reset();
                }
            }
            return finish(MigrationState.FAILED, stopping ? "the master is stopping; the next start resumes"
                    : "this master stopped leading its group; the new leader resumes it");
        }
    }

    /** Names the keys a migration could not move (up to ten of them), and why. */
    private static String skippedMessage(Set<Key> skipped) {
        return skipped.size() + " keys were skipped, their only copy missing or damaged (see the log; a verify reports them): "
                + skipped.stream().limit(10).map(Key::toString).collect(Collectors.joining(", "))
                + (skipped.size() > 10 ? ", ..." : "");
    }

    /**
     * Makes the next copy step of each of these keys that needs one, in batches, as a round of a
     * migration does, at the migration's pace; for the repairs, while no migration runs.
     */
    public StepsMade makeSteps(List<MetaStore.Entry> entries, BooleanSupplier halted) {
        try (Pools pools = new Pools(config.workers())) {
            MoveRound round = pools.round(after -> after.isEmpty() ? entries : List.of(), new Progress("repairs", entries.size()),
                    new Pace(config.moveRate()), () -> stopping || halted.getAsBoolean(), Set.of());
            return new StepsMade(round.moved(), round.passing(), Optional.ofNullable(round.firstProblem()));
        }
    }

    /** The threads that move batches and clean up after them, for the rounds of one run; closing stops them. */
    private final class Pools implements AutoCloseable {

        private final int size;
        private final ExecutorService workers;
        private final ExecutorService cleanups;

        Pools(int size) {
            this.size = size;
            this.workers = Executors.newFixedThreadPool(size, threads);
            this.cleanups = Executors.newFixedThreadPool(size, threads);
        }

        /** One round over {@code pages} on the topology of now, until it is done or the master stops. */
        MoveRound round(Function<Optional<Key>, List<MetaStore.Entry>> pages, Progress progress, Pace pace, BooleanSupplier halted,
                        Set<Key> skip) {
            return new MoveRound(pages, mover, progress, cluster.topology(), workers, size, cleanups, pace, skip).run(halted);
        }

        @Override
        public void close() {
            workers.shutdownNow();
            cleanups.shutdownNow();
        }
    }

    /**
     * What {@link #makeSteps} did.
     *
     * @param passing steps not made for a fault that may pass: a volume did not answer, answered a 5xx, or was full
     */
    public record StepsMade(long made, long passing, Optional<String> firstProblem) {
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

    private MigrationStatus finish(MigrationState state, String message) {
        Progress ending = progress;
        if (ending == null) {
            return last;
        }
        last = ending.end(state, message);
        LOG.log(state == MigrationState.DONE ? Level.INFO : Level.SEVERE, () -> String.format(
                "%s %s: %d keys moved in %.1f s (%.0f keys/s)%s", last.description(), state.name().toLowerCase(),
                last.moved(), last.seconds(), last.keysPerSecond(), message == null ? "" : "; " + message));
        progress = null;
        return last;
    }

    private long countMisplaced() {
        return countMisplaced(Set.of());
    }

    private long countMisplaced(Set<Key> skipped) {
        Topology topology = cluster.topology();
        return metaKeys.count(entry -> topology.misplaced(entry.key(), entry.meta()) && !skipped.contains(entry.key()));
    }

    @PreDestroy
    void stop() {
        stopping = true;
    }
}
