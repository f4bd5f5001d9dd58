package io.tdkvs.master.topology.control;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

import jakarta.inject.Singleton;

import io.tdkvs.master.errors.Reason;
import io.tdkvs.master.errors.StoreException;
import io.tdkvs.master.keys.entity.Key;
import io.tdkvs.master.keys.entity.MetaKey;
import io.tdkvs.master.topology.entity.Topology;

/**
 * The topology the master works with now; replaced whole when it changes. A write streams its value
 * to the volumes placement picked when it began; if the topology changed meanwhile, or some copies
 * failed, its commit records the key as a <em>stray</em>, so the migration moves it before it declares the change done.
 */
@Singleton
public class Cluster {

    private volatile Topology topology;
    private final ReadWriteLock commits = new ReentrantReadWriteLock();
    private final Set<Key> strays = ConcurrentHashMap.newKeySet();

    public Topology topology() {
        Topology current = topology;
        if (current == null) {
            throw new StoreException(Reason.NOT_SERVING, "the master is starting");
        }
        return current;
    }

    public void set(Topology next) {
        commits.writeLock().lock();
        try {
            topology = next;
        } finally {
            commits.writeLock().unlock();
        }
    }

    /**
     * Commits a value written to the volumes {@code meta} names. Refused if one of them has left the
     * cluster since the write began (its keys were drained); noted as a stray if placement now wants
     * other copies.
     */
    public <T> T commitOn(MetaKey meta, Key key, Supplier<T> commit) {
        commits.readLock().lock();
        try {
            Topology now = topology();
            for (int holder : meta.holders()) {
                if (now.volume(holder).isEmpty()) {
                    throw new StoreException(Reason.VOLUME_UNAVAILABLE, "volume #" + holder
                            + " was deleted while the value was sent to it; nothing was stored, send it again");
                }
            }
            T result = commit.get();
            if (now.misplaced(key, meta)) {
                strays.add(key);
            }
            return result;
        } finally {
            commits.readLock().unlock();
        }
    }

    /** Forgets the strays: a pass over every key is about to begin. */
    public void clearStrays() {
        strays.clear();
    }

    /**
     * Replaces the topology when no write is committing, if no stray was noted since
     * {@link #clearStrays}; answers whether it did.
     */
    public boolean setIfNoStrays(Supplier<Topology> next) {
        commits.writeLock().lock();
        try {
            if (!strays.isEmpty()) {
                return false;
            }
            topology = next.get();
            return true;
        } finally {
            commits.writeLock().unlock();
        }
    }
}
