package io.tdkvs.master.topology.entity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import io.tdkvs.master.keys.entity.Key;

class JumpHashTest {

    /** Outputs of the paper's reference implementation for buckets 1..n (as published with other ports). */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "0;                  0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0",
            "1;                  0 0 0 0 0 0 6 6 6 6 6 6 6 6 6 6 6 17 17",
            "3735928559;         0 1 2 3 3 5 5 5 5 5 5 5 5 5 5 5 16 16 16",
            "998690804919562253; 0 1 2 2 2 2 2 2 2 2 2 2 2 2 2 15 15 15 15"})
    void matchesTheReferenceImplementation(long key, String expected) {
        int[] buckets = java.util.Arrays.stream(expected.trim().split(" ")).mapToInt(Integer::parseInt).toArray();
        int[] actual = IntStream.rangeClosed(1, buckets.length).map(n -> JumpHash.bucket(key, n)).toArray();
        assertArrayEquals(buckets, actual);
    }

    /** Pinned: if these change, every stored key is looked for on the wrong volume. */
    @ParameterizedTest
    @CsvSource({
            "tdkvs, 0 0 2 3 3 3 6 6 6 6",
            "hello, 0 1 1 1 1 1 1 1 1 1",
            "a/b,   0 1 2 2 2 2 2 2 2 2",
            "café,  0 1 1 1 4 5 5 5 5 5"})
    void placesKeysWhereTheyHaveAlwaysBeen(String key, String expected) {
        long hash = Key.of(key).placementHash();
        int[] actual = IntStream.rangeClosed(1, 10).map(n -> JumpHash.bucket(hash, n)).toArray();
        assertArrayEquals(java.util.Arrays.stream(expected.split(" ")).mapToInt(Integer::parseInt).toArray(), actual);
    }

    @Test
    void spreads100000KeysOver7BucketsWithin3PercentOfTheMean() {
        int[] counts = new int[7];
        for (int i = 0; i < 100_000; i++) {
            counts[JumpHash.bucket(Key.of("key-" + i).placementHash(), 7)]++;
        }
        double mean = 100_000 / 7.0;
        for (int count : counts) {
            assertTrue(Math.abs(count - mean) <= 0.03 * mean, () -> java.util.Arrays.toString(counts));
        }
    }
}
