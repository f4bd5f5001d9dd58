package io.tdkvs.master.topology.entity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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

    /**
     * A part of an upload whose id begins with its object's placement hash is placed as the object is;
     * one of an upload begun before ids carried it, or a key merely like one, by its own hash.
     */
    @Test
    void aPartOfAnUploadIsPlacedAsItsObject() {
        Key object = Key.of("photos/cat.jpg");
        String placed = java.util.HexFormat.of().toHexDigits(object.placementHash()) + "0123456789abcdef0123456789abcdef";
        assertEquals(object.placementHash(), Key.of(Key.UPLOAD_PARTS + placed + "/00001").placementHash());
        assertEquals(object.placementHash(), Key.of(Key.UPLOAD_PARTS + placed + "/10000").placementHash());
        for (String other : List.of(Key.UPLOAD_PARTS + "0123456789abcdef0123456789abcdef/00001",
                Key.UPLOAD_PARTS + placed.toUpperCase() + "/00001", Key.UPLOAD_PARTS + placed + "00001",
                "upload/" + placed + "/00001")) {
            Key part = Key.of(other);
            assertEquals(java.nio.ByteBuffer.wrap(java.util.HexFormat.of().parseHex(part.sha256Hex())).getLong(), part.placementHash(), other);
        }
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
