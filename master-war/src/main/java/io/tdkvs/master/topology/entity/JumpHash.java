package io.tdkvs.master.topology.entity;

/** Jump consistent hash (Lamping and Veach, arXiv:1406.2294): a 64-bit key to a bucket in [0, buckets). */
public final class JumpHash {

    private JumpHash() {
    }

    public static int bucket(long key, int buckets) {
        if (buckets <= 0) {
            throw new IllegalArgumentException("buckets must be positive: " + buckets);
        }
        long b = -1;
        long j = 0;
        long k = key;
        while (j < buckets) {
            b = j;
            k = k * 2862933555777941757L + 1;
            j = (long) ((b + 1) * ((double) (1L << 31) / (double) ((k >>> 33) + 1)));
        }
        return (int) b;
    }
}
