package io.tdkvs.master.keys.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tdkvs.master.errors.StoreException;
import io.tdkvs.master.keys.entity.Key;
import io.tdkvs.master.keys.entity.MetaKey;
import io.tdkvs.master.migration.control.Sweeper;
import io.tdkvs.master.topology.control.Cluster;
import io.tdkvs.master.topology.entity.Volume;
import io.tdkvs.master.volumes.control.VolumeClient;
import io.tdkvs.master.volumes.control.VolumeMonitor;
import io.tdkvs.protocol.BlobInfo;
import io.tdkvs.protocol.BlobName;

/**
 * Removes blobs that no metakey points at any more (deleted or superseded values, the copies of
 * writes that failed), after the answer has gone out: in batches of up to {@value #BATCH} per volume,
 * one request each, without waiting for the volume's folders to reach the disk. Removals for a volume
 * that is down, or fails for a while, wait and are tried again every {@value #RETRY_SECONDS} s (up to
 * {@value #MAX_WAITING} per volume; more are left to a verify). A removal that fails for good, or that
 * a crash or power failure undoes, leaves an orphan file, which costs space but never a value; it is
 * logged, and a verify removes it.
 */
@Singleton
public class Janitor {

    private static final Logger LOG = Logger.getLogger(Janitor.class.getName());
    static final int BATCH = 256;
    static final int RETRY_SECONDS = 5;
    static final int MAX_WAITING = 100_000;

    @Resource
    ManagedExecutorService executor;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    VolumeMonitor monitor;

    @Inject
    VolumeClient volumes;

    @Inject
    Cluster cluster;

    @Inject
    Sweeper sweeper;

    /** Blobs to remove, by the id of the volume that holds them. */
    private final Map<Integer, Queue<Removal>> pending = new ConcurrentHashMap<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    /** When removals from a volume that was down or failing are tried again, by volume id (System.nanoTime). */
    private final Map<Integer, Long> retryAt = new ConcurrentHashMap<>();
    private final AtomicBoolean retryScheduled = new AtomicBoolean();

    /** Removes every copy of a value that no metakey names any more. */
    public void removeLater(Key key, MetaKey superseded) {
        removeLater(key, superseded.generation(), superseded.holders());
    }

    /** Removes the copies of a key's blob of {@code generation} from the volumes {@code holders}. */
    public void removeLater(Key key, long generation, List<Integer> holders) {
        queue(new Removal(MetaKey.blobName(key, generation), null), holders);
    }

    /**
     * Removes the copies of a key's blob of {@code generation} that volumes a write tried may have
     * stored after it stopped waiting for them, unless the index names that copy there by then: a
     * repair that moved the key's copy home made it the copy the index names.
     */
    public void removeStraysLater(Key key, long generation, List<Integer> volumes) {
        queue(new Removal(MetaKey.blobName(key, generation), key), volumes);
    }

    private void queue(Removal removal, List<Integer> volumes) {
        volumes.forEach(volume -> pending.computeIfAbsent(volume, id -> new ConcurrentLinkedQueue<>()).add(removal));
        startDraining();
    }

    /** A blob to remove; if {@code unlessNamed} is set, only while no metakey of that key names it. */
    private record Removal(BlobName name, Key unlessNamed) {
    }

    private void startDraining() {
        if (draining.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                draining.set(false);
                LOG.fine(() -> "the master is stopping; blobs left to remove stay as orphans");
            }
        }
    }

    /** Sends every pending removal; runs on one thread at a time. */
    private void drain() {
        do {
            try {
                while (sendBatches()) {
                    // more arrived meanwhile
                }
            } finally {
                draining.set(false);
            }
        } while (pending.entrySet().stream().anyMatch(volume -> !volume.getValue().isEmpty() && due(volume.getKey()))
                && draining.compareAndSet(false, true));
        if (!pending.values().stream().allMatch(Queue::isEmpty) && retryScheduled.compareAndSet(false, true)) {
            try {
                scheduler.schedule(() -> {
                    retryScheduled.set(false);
                    startDraining();
                }, RETRY_SECONDS, TimeUnit.SECONDS);
            } catch (RejectedExecutionException e) {
                retryScheduled.set(false);
            }
        }
    }

    private boolean due(int volumeId) {
        Long at = retryAt.get(volumeId);
        return at == null || System.nanoTime() - at >= 0;
    }

    /** Removals from a volume wait until it may answer again; beyond {@value #MAX_WAITING}, a verify removes them. */
    private void later(int volumeId, List<Removal> batch, String why) {
        retryAt.put(volumeId, System.nanoTime() + TimeUnit.SECONDS.toNanos(RETRY_SECONDS));
        Queue<Removal> queue = pending.computeIfAbsent(volumeId, id -> new ConcurrentLinkedQueue<>());
        if (queue.size() + batch.size() > MAX_WAITING) {
            LOG.warning(() -> "could not remove " + batch.size() + " deleted or superseded blobs from volume #" + volumeId
                    + ", and too many wait for it; they are left as orphans for a verify to remove: " + why);
            return;
        }
        queue.addAll(batch);
    }

    /** One batch per volume that has removals pending; answers whether any was sent. */
    private boolean sendBatches() {
        boolean sent = false;
        for (Map.Entry<Integer, Queue<Removal>> volume : pending.entrySet()) {
            if (!due(volume.getKey())) {
                continue;
            }
            List<Removal> batch = new ArrayList<>();
            for (Removal removal; batch.size() < BATCH && (removal = volume.getValue().poll()) != null; ) {
                batch.add(removal);
            }
            if (!batch.isEmpty()) {
                remove(volume.getKey(), batch);
                sent = true;
            }
        }
        return sent;
    }

    private void remove(int volumeId, List<Removal> batch) {
        Optional<Volume> holder = cluster.topology().volume(volumeId);
        if (holder.isEmpty()) {
            LOG.warning(() -> batch.size() + " blobs to remove are on volume #" + volumeId + ", which left the cluster");
            return;
        }
        if (!monitor.answering(holder.get().url())) {
            later(volumeId, batch, "it does not answer");
            return;
        }
        try {
            volumes.deleteAll(holder.get().url(), batch.stream().filter(removal -> removal.unlessNamed() == null)
                    .map(Removal::name).toList());
            List<BlobInfo> strays = batch.stream().filter(removal -> removal.unlessNamed() != null)
                    .map(removal -> new BlobInfo(removal.name(), 0, 0, removal.unlessNamed().utf8())).toList();
            if (!strays.isEmpty()) {
                sweeper.removeOrphans(holder.get(), strays, Long.MAX_VALUE);
            }
            retryAt.remove(volumeId);
        } catch (StoreException e) {
            if (e.reason().mayPass()) {
                later(volumeId, batch, e.getMessage());
                return;
            }
            LOG.log(Level.WARNING, "could not remove " + batch.size() + " deleted or superseded blobs from " + holder.get()
                    + ", left as orphans: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not remove " + batch.size() + " deleted or superseded blobs from " + holder.get()
                    + ", left as orphans: " + e.getMessage());
        }
    }

    /** At a stop, sends what is pending, once. */
    @PreDestroy
    void flush() {
        try {
            sendBatches();
        } catch (RuntimeException e) {
            LOG.fine(() -> "blobs left to remove at the stop stay as orphans: " + e.getMessage());
        }
    }
}
