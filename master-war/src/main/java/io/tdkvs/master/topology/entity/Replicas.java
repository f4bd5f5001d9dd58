package io.tdkvs.master.topology.entity;

/**
 * Where the copies of a key go when each key is kept on {@code copies} distinct buckets.
 * <ul>
 * <li>The first copy is on the key's {@link Memento} bucket, so one copy per key places exactly as
 * MementoHash does.</li>
 * <li>The other copies go to the working buckets that rank highest for the key among the rest
 * (rendezvous hashing: each bucket gets a score from the key's hash and the bucket's number, and
 * the highest scores win).</li>
 * </ul>
 * Both halves move only what they must, and so does their sum:
 * <ul>
 * <li>Adding a bucket: a key changes at most one copy, and that copy goes to the new bucket.
 * Either MementoHash moves the key's first copy there, or the new bucket outranks the last of the
 * others. About copies/(n+1) of the keys move one copy each.</li>
 * <li>Removing a bucket: only keys with a copy on it change, and only that copy, which goes to a
 * bucket that did not hold one.</li>
 * </ul>
 */
public final class Replicas {

    private Replicas() {
    }

    /** The buckets of a key's copies, first copy first; {@code copies} distinct working buckets. */
    public static int[] buckets(Memento memento, long keyHash, int copies) {
        int working = memento.workingBuckets();
        if (copies < 1 || copies > working) {
            throw new IllegalArgumentException(copies + " copies need as many working buckets; there are " + working);
        }
        int first = memento.bucket(keyHash);
        int[] buckets = new int[copies];
        buckets[0] = first;
        if (copies == 1) {
            return buckets;
        }
        int[] others = new int[working - 1];
        long[] scores = new long[working - 1];
        int n = 0;
        for (int bucket = 0; bucket < memento.size(); bucket++) {
            if (bucket != first && memento.isWorking(bucket)) {
                others[n] = bucket;
                scores[n] = score(keyHash, bucket);
                n++;
            }
        }
        for (int copy = 1; copy < copies; copy++) {
            int best = -1;
            for (int i = 0; i < n; i++) {
                if (others[i] >= 0 && (best < 0 || Long.compareUnsigned(scores[i], scores[best]) > 0)) {
                    best = i;
                }
            }
            buckets[copy] = others[best];
            others[best] = -1;
        }
        return buckets;
    }

    /** A key's score for a bucket: a hash of both, independent of MementoHash's own (SplitMix64 finaliser, another seed). */
    static long score(long keyHash, int bucket) {
        long z = keyHash + (bucket + 1L) * 0xD1B54A32D192ED03L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
