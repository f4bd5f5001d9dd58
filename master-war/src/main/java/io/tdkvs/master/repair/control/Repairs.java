package io.tdkvs.master.repair.control;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tdkvs.master.errors.StoreException;
import io.tdkvs.master.group.control.Leadership;
import io.tdkvs.master.keys.entity.Key;
import io.tdkvs.master.keys.entity.MetaKey;
import io.tdkvs.master.meta.control.MetaStore;
import io.tdkvs.master.migration.control.Backoff;
import io.tdkvs.master.migration.control.Migrator;
import io.tdkvs.master.topology.control.Cluster;
import io.tdkvs.master.topology.entity.Topology;
import io.tdkvs.master.volumes.control.VolumeClient;

/**
 * Brings keys back to as many good copies as placement wants, in the background: keys whose write
 * stored fewer copies than wanted, and copies a read or a verify found missing or damaged. A missing
 * or damaged copy leaves the key's holders first (never the last one), so reads stop trying it; then
 * the keys' copy steps ({@link Topology#nextStep}) are made in batches, as a migration makes them
 * ({@link Migrator#makeSteps}). A volume that does not answer pauses the work, backing off up to
 * 30 s; the keys stay queued. While a migration runs it waits: the migration's rounds put copies
 * right too. The queue lives in memory; what a master that stopped (or stopped leading) left undone
 * is found in the index: when a master begins to lead, one pass over the index makes the steps of every
 * key whose copies are not where placement wants them. Only the leader repairs, in its term.
 */
@Singleton
public class Repairs {

    private static final Logger LOG = Logger.getLogger(Repairs.class.getName());
    private static final Duration WAIT_FOR_MIGRATION = Duration.ofSeconds(1);
    /** Keys taken from the queue at a time. */
    private static final int PASS = 10_000;
    /** Keys read from the index at a time by a pass over it. */
    private static final int PAGE = 1000;

    @Resource
    ManagedExecutorService executor;

    @Inject
    MetaStore metaKeys;

    @Inject
    Cluster cluster;

    @Inject
    Migrator migrator;

    @Inject
    VolumeClient volumes;

    @Inject
    Leadership leadership;

    private final Set<Key> pending = ConcurrentHashMap.newKeySet();
    private final Queue<BadCopy> badCopies = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean working = new AtomicBoolean();
    private final AtomicLong repaired = new AtomicLong();
    private volatile boolean stopping;
    private volatile long term = -1;
    private volatile boolean passWanted;

    /**
     * This master leads in {@code term}: the repairs are its own until the term ends; they begin with a
     * pass over the index for keys whose copies are not where placement wants them.
     */
    public void resume(long leaderTerm) {
        term = leaderTerm;
        pending.clear();
        badCopies.clear();
        passWanted = true;
        work();
    }

    private boolean halted() {
        return stopping || !leadership.holds(term);
    }

    /** A write stored fewer copies of the key's value than placement wants. */
    public void copyLater(Key key) {
        pending.add(key);
        work();
    }

    /**
     * The copy on volume {@code holder} is missing, or there but damaged ({@code damaged}): a read found
     * it so and served another, or a verify did.
     */
    public void badCopy(Key key, MetaKey meta, int holder, boolean damaged) {
        badCopies.add(new BadCopy(key, meta, holder, damaged));
        work();
    }

    /** Keys waiting for a copy (a pass over the index that is under way counts as one). */
    public int pending() {
        return pending.size() + badCopies.size() + (passWanted ? 1 : 0);
    }

    /** Copy steps made since the start. */
    public long repaired() {
        return repaired.get();
    }

    private void work() {
        if (!halted() && working.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                working.set(false);
            }
        }
    }

    /** Runs on one thread at a time until nothing is left, or the master stops. */
    private void drain() {
        Backoff backoff = new Backoff();
        try {
            while (!halted() && pending() > 0) {
                if (migrator.running()) {
                    stopping |= !Backoff.sleep(WAIT_FOR_MIGRATION);
                    continue;
                }
                if (passWanted) {
                    passWanted = !passOverIndex(backoff);
                    continue;
                }
                forgetBadCopies();
                Optional<String> unavailable = repair(pending.stream().limit(PASS).toList());
                if (unavailable.isPresent()) {
                    LOG.warning(() -> "repairs paused: " + unavailable.get() + "; " + pending() + " keys wait for copies");
                    backoff.pause(this::halted);
                } else {
                    backoff.reset();
                }
            }
        } finally {
            working.set(false);
            if (!halted() && pending() > 0) {
                work();
            }
        }
    }

    /**
     * Makes the copy steps of every key of the index that needs one, a page at a time; a page whose
     * volume does not answer is tried again after a pause. Answers whether the pass got to the end.
     */
    private boolean passOverIndex(Backoff backoff) {
        long made = 0;
        Optional<Key> after = Optional.empty();
        for (List<MetaStore.Entry> page; !halted() && !(page = metaKeys.scan(after, PAGE)).isEmpty(); ) {
            if (migrator.running()) {
                return false;
            }
            Topology topology = cluster.topology();
            List<MetaStore.Entry> steps = page.stream().filter(entry -> topology.nextStep(entry.key(), entry.meta()).isPresent())
                    .toList();
            if (!steps.isEmpty()) {
                Migrator.StepsMade done = migrator.makeSteps(steps, this::halted);
                repaired.addAndGet(done.made());
                made += done.made();
                if (done.passing() > 0) {
                    String why = done.firstProblem().orElse("a volume does not answer");
                    LOG.warning(() -> "repairs paused: " + why + "; the pass over the index goes on when it answers");
                    backoff.pause(this::halted);
                    continue;
                }
                backoff.reset();
            }
            after = Optional.of(page.get(page.size() - 1).key());
        }
        if (!halted() && made > 0) {
            long count = made;
            LOG.info(() -> "copies put right after the take-over: " + count);
        }
        return !halted();
    }

    /**
     * Makes the keys' copy steps, in batches, until their copies are where placement wants them; they
     * then leave the queue, as do keys that cannot be repaired (logged). Answers why it paused, if a
     * volume did not answer: those keys stay queued.
     */
    private Optional<String> repair(List<Key> keys) {
        List<Key> left = keys;
        for (int round = 0; round < 2 * cluster.topology().replicas() + 2 && !left.isEmpty() && !halted(); round++) {
            Topology topology = cluster.topology();
            List<MetaStore.Entry> entries = new ArrayList<>();
            for (Key key : left) {
                metaKeys.get(key).filter(meta -> topology.nextStep(key, meta).isPresent())
                        .ifPresentOrElse(meta -> entries.add(new MetaStore.Entry(key, meta)), () -> pending.remove(key));
            }
            left = entries.stream().map(MetaStore.Entry::key).toList();
            if (entries.isEmpty()) {
                return Optional.empty();
            }
            Migrator.StepsMade made = migrator.makeSteps(entries, this::halted);
            repaired.addAndGet(made.made());
            if (made.passing() > 0) {
                return made.firstProblem().or(() -> Optional.of("a volume does not answer"));
            }
            if (made.made() == 0) {
                break;
            }
        }
        if (!left.isEmpty()) {
            List<Key> unrepaired = left;
            unrepaired.forEach(pending::remove);
            LOG.warning(() -> unrepaired.size() + " keys could not be given the copies they lack (such as " + unrepaired.get(0)
                    + "); a verify reports them");
        }
        return Optional.empty();
    }

    /**
     * Takes bad copies out of their keys' holders, unless the key changed or it is its last copy: in
     * one transaction per batch of {@value MetaStore#WRITE_BATCH}.
     */
    private void forgetBadCopies() {
        int forgotten = 0;
        BadCopy first = null;
        for (List<BadCopy> batch; !(batch = pollBadCopies()).isEmpty(); ) {
            List<BadCopy> forgettable = batch.stream().filter(bad -> bad.meta().heldBy(bad.holder()) && bad.meta().holders().size() > 1)
                    .toList();
            boolean[] switched = metaKeys.replaceAllIf(forgettable.stream()
                    .map(bad -> new MetaStore.Swap(bad.key(), bad.meta(), bad.meta().without(bad.holder()))).toList());
            for (int i = 0; i < forgettable.size(); i++) {
                BadCopy bad = forgettable.get(i);
                if (switched[i]) {
                    forgotten++;
                    first = first == null ? bad : first;
                    if (bad.damaged()) {
                        removeNow(bad.key(), bad.meta(), bad.holder());
                    }
                }
            }
            batch.forEach(bad -> pending.add(bad.key()));
        }
        if (forgotten > 0) {
            String example = "key " + first.key() + " on volume #" + first.holder();
            int count = forgotten;
            LOG.warning(() -> count + " missing or damaged copies (such as " + example + ") are replaced from other copies");
        }
    }

    private List<BadCopy> pollBadCopies() {
        List<BadCopy> batch = new ArrayList<>();
        for (BadCopy bad; batch.size() < MetaStore.WRITE_BATCH && (bad = badCopies.poll()) != null; ) {
            batch.add(bad);
        }
        return batch;
    }

    /**
     * Removes a damaged copy before its key is repaired, which may put a good copy of the same name on
     * the same volume; left in place if the volume does not answer (the repair's copy replaces it).
     */
    private void removeNow(Key key, MetaKey meta, int holder) {
        if (!leadership.mayAnswer()) {
            return;
        }
        cluster.topology().volume(holder).ifPresent(volume -> {
            try {
                volumes.deleteAll(volume.url(), List.of(meta.blobName(key)));
            } catch (StoreException e) {
                LOG.fine(() -> "the damaged copy of " + key + " stays until it is replaced: " + e.getMessage());
            }
        });
    }

    @PreDestroy
    void stop() {
        stopping = true;
    }

    private record BadCopy(Key key, MetaKey meta, int holder, boolean damaged) {
    }
}
