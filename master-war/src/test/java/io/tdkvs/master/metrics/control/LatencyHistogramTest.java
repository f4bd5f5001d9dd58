package io.tdkvs.master.metrics.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void everyDurationLandsInTheBucketThatBoundsIt() {
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            long nanos = (long) Math.exp(random.nextDouble() * Math.log(1L << 39));
            int bucket = LatencyHistogram.bucket(nanos);
            assertTrue(nanos <= LatencyHistogram.upperBound(bucket), nanos + " above bucket " + bucket);
            if (bucket > 0) {
                assertTrue(nanos > LatencyHistogram.upperBound(bucket - 1), nanos + " belongs below bucket " + bucket);
                assertTrue(LatencyHistogram.upperBound(bucket) <= LatencyHistogram.upperBound(bucket - 1) * 1.26,
                        "bucket " + bucket + " wider than a quarter octave");
            }
        }
        assertEquals(0, LatencyHistogram.bucket(0));
        assertEquals(LatencyHistogram.BUCKETS - 1, LatencyHistogram.bucket(Long.MAX_VALUE));
    }

    @Test
    void percentilesComeOutWithinABucket() {
        LatencyHistogram histogram = new LatencyHistogram();
        long[] durations = new long[10_000];
        Random random = new Random(11);
        for (int i = 0; i < durations.length; i++) {
            durations[i] = 200_000 + (long) (random.nextGaussian() * 50_000) + (i % 100 == 0 ? 40_000_000 : 0);
            histogram.record(durations[i]);
        }
        Arrays.sort(durations);
        long[] counts = histogram.counts();
        for (double q : new double[] {0.5, 0.9, 0.99, 0.999}) {
            long exact = durations[(int) Math.ceil(q * durations.length) - 1];
            long estimate = LatencyHistogram.percentile(counts, q);
            assertTrue(estimate >= exact && estimate <= exact * 1.26, q + ": " + estimate + " for " + exact);
        }
        assertEquals(0, LatencyHistogram.percentile(new long[LatencyHistogram.BUCKETS], 0.5), "none counted");
    }
}
