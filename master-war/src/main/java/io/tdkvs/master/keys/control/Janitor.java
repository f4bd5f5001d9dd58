package io.tdkvs.master.keys.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tdkvs.master.keys.entity.Key;
import io.tdkvs.master.keys.entity.MetaKey;
import io.tdkvs.master.topology.control.Cluster;
import io.tdkvs.master.topology.entity.Volume;
import io.tdkvs.master.volumes.control.VolumeClient;
import io.tdkvs.protocol.BlobName;

/**
 * Removes blobs that no metakey points at any more (deleted or superseded values), after the answer
 * has gone out: in batches of up to {@value #BATCH} per volume, one request each, without waiting for
 * the volume's folders to reach the disk. A removal that fails, or that a crash or power failure
 * undoes, leaves an orphan file, which costs space but never a value; it is logged.
 */
@Singleton
public class Janitor {

    private static final Logger LOG = Logger.getLogger(Janitor.class.getName());
    static final int BATCH = 256;

    @Resource
    ManagedExecutorService executor;

    @Inject
    VolumeClient volumes;

    @Inject
    Cluster cluster;

    /** Blobs to remove, by the id of the volume that holds them. */
    private final Map<Integer, Queue<BlobName>> pending = new ConcurrentHashMap<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    /** Removes every copy of a value that no metakey names any more. */
    public void removeLater(Key key, MetaKey superseded) {
        removeLater(key, superseded.generation(), superseded.holders());
    }

    /** Removes the copies of a key's blob of {@code generation} from the volumes {@code holders}. */
    public void removeLater(Key key, long generation, List<Integer> holders) {
        BlobName name = MetaKey.blobName(key, generation);
        holders.forEach(holder -> pending.computeIfAbsent(holder, id -> new ConcurrentLinkedQueue<>()).add(name));
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
        } while (!pending.values().stream().allMatch(Queue::isEmpty) && draining.compareAndSet(false, true));
    }

    /** One batch per volume that has removals pending; answers whether any was sent. */
    private boolean sendBatches() {
        boolean sent = false;
        for (Map.Entry<Integer, Queue<BlobName>> volume : pending.entrySet()) {
            List<BlobName> batch = new ArrayList<>();
            for (BlobName name; batch.size() < BATCH && (name = volume.getValue().poll()) != null; ) {
                batch.add(name);
            }
            if (!batch.isEmpty()) {
                remove(volume.getKey(), batch);
                sent = true;
            }
        }
        return sent;
    }

    private void remove(int volumeId, List<BlobName> batch) {
        Optional<Volume> holder = cluster.topology().volume(volumeId);
        if (holder.isEmpty()) {
            LOG.warning(() -> batch.size() + " blobs to remove are on volume #" + volumeId + ", which left the cluster");
            return;
        }
        try {
            volumes.deleteAll(holder.get().url(), batch);
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
