package io.tdkvs.master.topology.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.tdkvs.master.keys.entity.Key;

class MementoTest {

    private static final int KEYS = 40_000;
    private static final long[] HASHES = IntStream.range(0, KEYS).mapToLong(i -> Key.of("key-" + i).placementHash()).toArray();

    @Test
    void withNothingRemovedIsJumpHash() {
        Memento memento = Memento.of(9);
        for (long hash : HASHES) {
            assertEquals(JumpHash.bucket(hash, 9), memento.bucket(hash));
        }
    }

    /** Pinned: the buckets of key-0..key-9 after removing buckets 1 and 3 of 5. */
    @Test
    void placesKeysWhereTheyHaveAlwaysBeenAfterRemovals() {
        Memento memento = Memento.of(5).withRemoved(1).withRemoved(3);
        assertEquals(new Memento(5, 3, Map.of(1, new Memento.Removal(4, 5), 3, new Memento.Removal(3, 1))), memento);
        int[] buckets = IntStream.range(0, 10).map(i -> memento.bucket(HASHES[i])).toArray();
        assertEquals("[2, 0, 4, 0, 4, 0, 0, 2, 4, 0]", Arrays.toString(buckets));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void removingAnyOfFourBucketsMovesOnlyItsKeysAndKeepsTheRestEven(int removed) {
        Memento before = Memento.of(4);
        Memento after = before.withRemoved(removed);
        int[] counts = new int[4];
        for (long hash : HASHES) {
            int was = before.bucket(hash);
            int now = after.bucket(hash);
            assertTrue(was == removed ? now != removed : now == was, "a key not on the removed bucket moved");
            counts[now]++;
        }
        assertEquals(0, counts[removed]);
        assertEven(counts);
    }

    @Test
    void addingABucketMovesAboutOneNthOfTheKeysAllOntoIt() {
        Memento before = Memento.of(3);
        Memento after = before.withAdded();
        long moved = 0;
        for (long hash : HASHES) {
            if (before.bucket(hash) != after.bucket(hash)) {
                moved++;
                assertEquals(3, after.bucket(hash));
            }
        }
        assertEquals(0.25, moved / (double) KEYS, 0.01);
    }

    /** 4 buckets: remove 1, add, remove 0, add, remove 3, remove 2, add, add, remove 1, remove 0, add. */
    @Test
    void anySequenceOfAddsAndRemovalsMovesOnlyWhatItMust() {
        Memento memento = Memento.of(4);
        String[] steps = {"-1", "+", "-0", "+", "-3", "-2", "+", "+", "-1", "-0", "+"};
        for (String step : steps) {
            Memento next = step.equals("+") ? memento.withAdded() : memento.withRemoved(Integer.parseInt(step.substring(1)));
            int added = step.equals("+") ? memento.nextBucket() : -1;
            int removed = step.equals("+") ? -1 : Integer.parseInt(step.substring(1));
            int[] counts = new int[next.size()];
            long moved = 0;
            for (long hash : HASHES) {
                int was = memento.bucket(hash);
                int now = next.bucket(hash);
                if (was != now) {
                    moved++;
                    assertTrue(now == added || was == removed, "step " + step + " moved a key it should not have");
                }
                counts[now]++;
            }
            double ideal = step.equals("+") ? 1.0 / next.workingBuckets() : 1.0 / memento.workingBuckets();
            assertEquals(ideal, moved / (double) KEYS, 0.015, "step " + step);
            assertEven(counts);
            memento = next;
        }
    }

    @Test
    void randomAddsAndRemovalsKeepThePlacementBalanced() {
        Random random = new Random(42);
        Memento memento = Memento.of(8);
        for (int step = 0; step < 30; step++) {
            if (memento.workingBuckets() > 2 && random.nextBoolean()) {
                int[] working = IntStream.range(0, memento.size()).filter(memento::isWorking).toArray();
                memento = memento.withRemoved(working[random.nextInt(working.length)]);
            } else {
                memento = memento.withAdded();
            }
            int[] counts = new int[memento.size()];
            for (long hash : HASHES) {
                counts[memento.bucket(hash)]++;
            }
            assertEven(counts);
        }
    }

    @Test
    void refusesToRemoveTheLastBucketOrOneThatIsNotWorking() {
        assertThrows(IllegalArgumentException.class, () -> Memento.of(1).withRemoved(0));
        assertThrows(IllegalArgumentException.class, () -> Memento.of(3).withRemoved(1).withRemoved(1));
        assertThrows(IllegalArgumentException.class, () -> Memento.of(3).withRemoved(3));
    }

    /** Every working bucket within 5% of the mean; removed buckets empty. */
    private static void assertEven(int[] counts) {
        long working = Arrays.stream(counts).filter(c -> c > 0).count();
        double mean = KEYS / (double) working;
        for (int bucket = 0; bucket < counts.length; bucket++) {
            if (counts[bucket] > 0) {
                assertEquals(mean, counts[bucket], 0.05 * mean, "bucket " + bucket + " of " + Arrays.toString(counts));
            }
        }
    }
}
