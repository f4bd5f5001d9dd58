package io.tdkvs.master.migration.control;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.tdkvs.master.errors.Reason;
import io.tdkvs.master.errors.StoreException;
import io.tdkvs.master.keys.entity.Key;
import io.tdkvs.master.meta.control.MetaStore;
import io.tdkvs.master.topology.entity.CopyStep;
import io.tdkvs.master.topology.entity.Topology;
import io.tdkvs.master.topology.entity.Volume;

/**
 * One pass over the index that takes the next {@link CopyStep} of every misplaced key: keys are
 * grouped by the step's source, target and whether the source's copy goes, into batches of up to {@link Pace#batchKeys()} keys (and {@value #BATCH_BYTES} bytes),
 * which {@code workers} move in parallel (see {@link Mover}), as fast as the pace allows.
 */
final class MoveRound {

    private static final Logger LOG = Logger.getLogger(MoveRound.class.getName());
    static final int SCAN = 1000;
    private static final long BATCH_BYTES = 64L << 20;

    private final Function<Optional<Key>, List<MetaStore.Entry>> pages;
    private final Mover mover;
    private final Progress progress;
    private final Topology topology;
    private final ExecutorService workers;
    private final Executor cleanups;
    private final Semaphore slots;
    private final int slotCount;
    private final Pace pace;

    private final AtomicLong moved = new AtomicLong();
    private final AtomicLong passing = new AtomicLong();
    private final Set<Key> skip;
    private final Set<Key> skipped = ConcurrentHashMap.newKeySet();
    private final List<CompletableFuture<Boolean>> cleaned = Collections.synchronizedList(new ArrayList<>());
    private volatile String firstProblem;
    private volatile boolean orphansLeft;

    /**
     * @param pages       the keys to look at, a page at a time: the page after a key (the first page after
     *                    none), empty at the end
     * @param workerCount how many batches move at a time; twice as many may wait, gathered, for a worker
     * @param skip        keys not to try: earlier rounds found that they cannot be moved
     */
    MoveRound(Function<Optional<Key>, List<MetaStore.Entry>> pages, Mover mover, Progress progress, Topology topology,
              ExecutorService workers, int workerCount, Executor cleanups, Pace pace, Set<Key> skip) {
        this.pages = pages;
        this.skip = skip;
        this.mover = mover;
        this.progress = progress;
        this.topology = topology;
        this.workers = workers;
        this.cleanups = cleanups;
        this.slotCount = 2 * workerCount;
        this.slots = new Semaphore(slotCount);
        this.pace = pace;
    }

    /** Moves what is misplaced until done or {@code stopping}; then waits for every batch and its clean-up. */
    MoveRound run(BooleanSupplier stopping) {
        Map<Route, Batch> open = new HashMap<>();
        Optional<Key> after = Optional.empty();
        for (List<MetaStore.Entry> scanned; !stopping.getAsBoolean() && !(scanned = pages.apply(after)).isEmpty(); ) {
            for (MetaStore.Entry entry : scanned) {
                if (skip.contains(entry.key())) {
                    continue;
                }
                Optional<CopyStep> step = topology.nextStep(entry.key(), entry.meta());
                if (step.isPresent()) {
                    Route route = new Route(step.get().source(), step.get().target(), step.get().removeSource());
                    Batch batch = open.computeIfAbsent(route, r -> new Batch(pace.batchKeys()));
                    batch.add(new Mover.Change(entry, step.get().holders()));
                    if (batch.full()) {
                        submit(route, open.remove(route));
                    }
                }
            }
            after = Optional.of(scanned.get(scanned.size() - 1).key());
        }
        open.forEach(this::submit);
        slots.acquireUninterruptibly(slotCount);
        for (CompletableFuture<Boolean> cleanup : List.copyOf(cleaned)) {
            if (!cleanup.exceptionally(failure -> false).join()) {
                orphansLeft = true;
            }
        }
        return this;
    }

    long moved() {
        return moved.get();
    }

    /** Batches that failed for a fault that may pass: a volume did not answer, answered a 5xx, or was full. */
    long passing() {
        return passing.get();
    }

    /** Keys that cannot be moved, whatever is tried: their only copy is missing or damaged. */
    Set<Key> skipped() {
        return skipped;
    }

    /** Whether some blob that should have been removed was left behind. */
    boolean orphansLeft() {
        return orphansLeft;
    }

    String firstProblem() {
        return firstProblem;
    }

    void failed(StoreException e) {
        if (e.reason().mayPass()) {
            passing.incrementAndGet();
        }
        if (firstProblem == null) {
            firstProblem = e.getMessage();
        }
    }

    /** Hands a batch to a worker once the pace allows it and a slot is free. */
    private void submit(Route route, Batch batch) {
        if (!pace.await(batch.entries.size())) {
            failed(new StoreException(Reason.NOT_SERVING, "the master is stopping"));
            return;
        }
        slots.acquireUninterruptibly();
        try {
            workers.execute(() -> {
                try {
                    move(route, batch.entries);
                } finally {
                    slots.release();
                }
            });
        } catch (RejectedExecutionException e) {
            slots.release();
            failed(new StoreException(Reason.NOT_SERVING, "the master is stopping"));
        }
    }

    private void move(Route route, List<Mover.Change> entries) {
        try {
            Volume source = topology.volume(route.source()).orElseThrow(() -> new StoreException(Reason.VOLUME_FAILED,
                    entries.size() + " keys are on volume #" + route.source() + ", which is not part of the cluster"));
            Optional<Volume> target = route.target().stream().mapToObj(id -> topology.volume(id).orElseThrow()).findFirst();
            Mover.Outcome outcome = mover.move(entries, source, target, route.removeSource(), cleanups);
            moved.addAndGet(outcome.moved());
            progress.moved(outcome.moved());
            cleaned.add(outcome.cleaned());
            outcome.problems().forEach(problem -> {
                progress.failed(problem.message());
                skipped.add(problem.key());
                if (firstProblem == null) {
                    firstProblem = problem.message();
                }
            });
        } catch (StoreException e) {
            progress.failed(e.getMessage());
            failed(e);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "a batch of moves failed unexpectedly", e);
            progress.failed(String.valueOf(e.getMessage()));
            failed(new StoreException(Reason.VOLUME_ERROR, "a batch of moves failed: " + e));
        }
    }

    /** Keys whose copies take the same step, by volume id. */
    private record Route(int source, OptionalInt target, boolean removeSource) {
    }

    /** Keys gathered for one move, up to a count or a number of bytes. */
    private static final class Batch {
        private final List<Mover.Change> entries = new ArrayList<>();
        private final int maxKeys;
        private long bytes;

        Batch(int maxKeys) {
            this.maxKeys = maxKeys;
        }

        void add(Mover.Change change) {
            entries.add(change);
            bytes += change.entry().meta().size();
        }

        boolean full() {
            return entries.size() >= maxKeys || bytes >= BATCH_BYTES;
        }
    }
}
