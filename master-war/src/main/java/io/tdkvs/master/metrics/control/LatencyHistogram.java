package io.tdkvs.master.metrics.control;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How long requests took, counted in buckets of a quarter octave (each bucket's upper bound is at most
 * 19% above its lower one) from 1 µs to about 9 minutes: cheap to record from many threads, and
 * percentiles come out within a bucket's width. Durations under 1 µs count in the first bucket, those
 * beyond the last in the last.
 */
final class LatencyHistogram {

    private static final int FIRST_OCTAVE = 10; // 2^10 ns, about 1 µs
    private static final int OCTAVES = 29;      // up to 2^39 ns, about 9 minutes
    static final int BUCKETS = OCTAVES * 4 + 1;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    void record(long nanos) {
        counts.incrementAndGet(bucket(nanos));
    }

    /** The counts, bucket by bucket, as they are now. */
    long[] counts() {
        long[] copy = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            copy[i] = counts.get(i);
        }
        return copy;
    }

    static int bucket(long nanos) {
        if (nanos < 1L << FIRST_OCTAVE) {
            return 0;
        }
        int octave = 63 - Long.numberOfLeadingZeros(nanos);
        int quarter = (int) (nanos >>> (octave - 2)) & 3;
        return Math.min(BUCKETS - 1, (octave - FIRST_OCTAVE) * 4 + quarter + 1);
    }

    /** The largest duration a bucket counts, in nanoseconds. */
    static long upperBound(int bucket) {
        if (bucket == 0) {
            return (1L << FIRST_OCTAVE) - 1;
        }
        int octave = (bucket - 1) / 4 + FIRST_OCTAVE;
        int quarter = (bucket - 1) % 4;
        return ((4L + quarter + 1) << (octave - 2)) - 1;
    }

    /**
     * The duration under which a share {@code q} (0 to 1) of the counted requests ended: the upper bound
     * of the bucket that holds the request of that rank; 0 if none was counted.
     */
    static long percentile(long[] counts, double q) {
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return upperBound(i);
            }
        }
        return upperBound(counts.length - 1);
    }
}
