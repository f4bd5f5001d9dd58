package io.tdkvs.master.topology.entity;

import java.util.Map;
import java.util.TreeMap;

/**
 * MementoHash (Coluzzi et al., arXiv:2306.09783): jump hash over {@code size} buckets plus a memory
 * of removed buckets. A key whose jump-hash bucket was removed is re-hashed among the buckets that
 * were working when it was removed, so removing any bucket (first, middle or last) moves only the
 * keys that were on it, and adding a bucket back (the most recently removed one first) moves only
 * the keys that belong on it. With nothing removed it is exactly jump hash.
 *
 * @param size        the number of buckets jump hash spreads over (working and removed)
 * @param lastRemoved the most recently removed bucket, or {@code size} when none is removed
 * @param removed     each removed bucket with what its removal recorded
 */
public record Memento(int size, int lastRemoved, Map<Integer, Removal> removed) {

    /**
     * What the removal of a bucket recorded.
     *
     * @param replacer the number of working buckets after the removal; the bucket's keys re-hash into [0, replacer)
     * @param previous the bucket removed before this one (or the array size then, if none)
     */
    public record Removal(int replacer, int previous) {
    }

    public Memento {
        removed = Map.copyOf(new TreeMap<>(removed));
    }

    public static Memento of(int buckets) {
        return new Memento(buckets, buckets, Map.of());
    }

    public int workingBuckets() {
        return size - removed.size();
    }

    public boolean isWorking(int bucket) {
        return bucket >= 0 && bucket < size && !removed.containsKey(bucket);
    }

    public int bucket(long keyHash) {
        if (workingBuckets() == 0) {
            throw new IllegalStateException("no working bucket");
        }
        int b = JumpHash.bucket(keyHash, size);
        Removal removal = removed.get(b);
        while (removal != null) {
            int replacer = removal.replacer();
            b = (int) Long.remainderUnsigned(rehash(keyHash, b), replacer);
            Removal next = removed.get(b);
            while (next != null && next.replacer() >= replacer) {
                b = next.replacer();
                next = removed.get(b);
            }
            removal = next;
        }
        return b;
    }

    /** The memento after removing a working bucket. */
    public Memento withRemoved(int bucket) {
        if (!isWorking(bucket)) {
            throw new IllegalArgumentException("bucket " + bucket + " is not working");
        }
        if (workingBuckets() == 1) {
            throw new IllegalArgumentException("cannot remove the last working bucket");
        }
        if (removed.isEmpty() && bucket == size - 1) {
            return new Memento(size - 1, size - 1, Map.of());
        }
        Map<Integer, Removal> next = new TreeMap<>(removed);
        next.put(bucket, new Removal(workingBuckets() - 1, lastRemoved));
        return new Memento(size, bucket, next);
    }

    /** The bucket that {@link #withAdded()} brings into service: the most recently removed, or a new one. */
    public int nextBucket() {
        return lastRemoved;
    }

    /** The memento after adding a bucket, which is {@link #nextBucket()}. */
    public Memento withAdded() {
        int bucket = lastRemoved;
        if (removed.isEmpty()) {
            return new Memento(size + 1, size + 1, Map.of());
        }
        Map<Integer, Removal> next = new TreeMap<>(removed);
        Removal restored = next.remove(bucket);
        return new Memento(Math.max(size, bucket + 1), restored.previous(), next);
    }

    /** A second, independent hash of the key for re-hashing away from a removed bucket (SplitMix64 finaliser). */
    static long rehash(long keyHash, int bucket) {
        long z = keyHash ^ (bucket + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
