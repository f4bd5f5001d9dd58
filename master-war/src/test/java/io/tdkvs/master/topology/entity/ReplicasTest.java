package io.tdkvs.master.topology.entity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.tdkvs.master.keys.entity.Key;

class ReplicasTest {

    private static final int KEYS = 40_000;
    private static final long[] HASHES = IntStream.range(0, KEYS).mapToLong(i -> Key.of("key-" + i).placementHash()).toArray();

    @Test
    void oneCopyIsMementoHash() {
        Memento memento = Memento.of(6).withRemoved(2);
        for (long hash : HASHES) {
            assertArrayEquals(new int[] {memento.bucket(hash)}, Replicas.buckets(memento, hash, 1));
        }
    }

    /**
     * Pinned: the copies of key-0..key-5, first copy first, with 2 copies on 4 buckets, after removing
     * bucket 1, after adding bucket 4, and with 3 copies.
     */
    @Test
    void placesCopiesWhereTheyHaveAlwaysBeen() {
        Memento four = Memento.of(4);
        assertEquals("[[2, 0], [0, 2], [1, 2], [0, 1], [0, 3], [1, 2]]", pinned(four, 2));
        assertEquals("[[2, 0], [0, 2], [3, 2], [0, 3], [0, 3], [0, 2]]", pinned(four.withRemoved(1), 2));
        assertEquals("[[2, 0], [0, 2], [1, 4], [0, 1], [4, 3], [1, 2]]", pinned(four.withAdded(), 2));
        assertEquals("[[2, 0, 3], [0, 2, 3], [1, 2, 0], [0, 1, 3], [0, 3, 2], [1, 2, 3]]", pinned(four, 3));
    }

    @ParameterizedTest
    @CsvSource({"2, 3", "2, 4", "3, 4", "3, 7"})
    void addingABucketMovesOneCopyOfAboutCopiesOverNPlusOneOfTheKeysAllOntoIt(int copies, int buckets) {
        Memento before = Memento.of(buckets);
        Memento after = before.withAdded();
        int added = before.nextBucket();
        long moved = 0;
        for (long hash : HASHES) {
            Set<Integer> was = set(before, hash, copies);
            Set<Integer> now = set(after, hash, copies);
            if (!was.equals(now)) {
                moved++;
                Set<Integer> gained = new TreeSet<>(now);
                gained.removeAll(was);
                assertEquals(Set.of(added), gained, "a copy went to an old bucket");
                assertEquals(copies - 1, intersection(was, now).size(), "more than one copy moved");
            }
        }
        assertEquals(copies / (double) (buckets + 1), moved / (double) KEYS, 0.01);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void removingABucketMovesOnlyTheCopiesItHeldAndKeepsTheSurvivorsEven(int removed) {
        for (int copies = 2; copies <= 3; copies++) {
            Memento before = Memento.of(5);
            Memento after = before.withRemoved(removed);
            int[] counts = new int[5];
            for (long hash : HASHES) {
                Set<Integer> was = set(before, hash, copies);
                Set<Integer> now = set(after, hash, copies);
                if (was.contains(removed)) {
                    assertEquals(copies - 1, intersection(was, now).size(), "a copy not on the removed bucket moved");
                    assertTrue(!now.contains(removed));
                } else {
                    assertEquals(was, now, "a key without a copy on the removed bucket moved");
                }
                now.forEach(bucket -> counts[bucket]++);
            }
            assertEquals(0, counts[removed]);
            assertEven(counts, copies);
        }
    }

    @Test
    void randomAddsAndRemovalsMoveOnlyWhatTheyMustAndStayBalanced() {
        Random random = new Random(7);
        Memento memento = Memento.of(6);
        int copies = 3;
        for (int step = 0; step < 20; step++) {
            Memento next;
            int added = -1;
            int removed = -1;
            if (memento.workingBuckets() > copies + 1 && random.nextBoolean()) {
                int[] working = IntStream.range(0, memento.size()).filter(memento::isWorking).toArray();
                removed = working[random.nextInt(working.length)];
                next = memento.withRemoved(removed);
            } else {
                added = memento.nextBucket();
                next = memento.withAdded();
            }
            int[] counts = new int[next.size()];
            for (long hash : HASHES) {
                Set<Integer> was = set(memento, hash, copies);
                Set<Integer> now = set(next, hash, copies);
                if (!was.equals(now)) {
                    assertEquals(copies - 1, intersection(was, now).size(), "step " + step + " moved two copies of a key");
                    assertTrue(added >= 0 ? now.contains(added) : was.contains(removed), "step " + step + " moved a copy it should not have");
                }
                now.forEach(bucket -> counts[bucket]++);
            }
            assertEven(counts, copies);
            memento = next;
        }
    }

    /** Going from R to R + 1 copies adds one copy and keeps the others; R + 1 to R drops the last. */
    @Test
    void moreCopiesAddToTheOnesThereAre() {
        Memento memento = Memento.of(6).withRemoved(4);
        for (long hash : HASHES) {
            for (int copies = 1; copies < 5; copies++) {
                int[] fewer = Replicas.buckets(memento, hash, copies);
                assertArrayEquals(fewer, Arrays.copyOf(Replicas.buckets(memento, hash, copies + 1), copies));
            }
        }
    }

    @Test
    void copiesAreDistinctWorkingBuckets() {
        Memento memento = Memento.of(5).withRemoved(0).withRemoved(3);
        for (long hash : HASHES) {
            int[] buckets = Replicas.buckets(memento, hash, 3);
            assertEquals(3, Arrays.stream(buckets).distinct().count());
            assertTrue(Arrays.stream(buckets).allMatch(memento::isWorking));
        }
    }

    @Test
    void refusesMoreCopiesThanWorkingBuckets() {
        assertThrows(IllegalArgumentException.class, () -> Replicas.buckets(Memento.of(3).withRemoved(1), HASHES[0], 3));
        assertThrows(IllegalArgumentException.class, () -> Replicas.buckets(Memento.of(3), HASHES[0], 0));
    }

    private static String pinned(Memento memento, int copies) {
        return Arrays.toString(IntStream.range(0, 6).mapToObj(i -> Arrays.toString(Replicas.buckets(memento, HASHES[i], copies))).toArray());
    }

    private static Set<Integer> set(Memento memento, long hash, int copies) {
        return Arrays.stream(Replicas.buckets(memento, hash, copies)).boxed().collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<Integer> intersection(Set<Integer> a, Set<Integer> b) {
        Set<Integer> both = new TreeSet<>(a);
        both.retainAll(b);
        return both;
    }

    /** Every working bucket's copy count within 5% of the mean; removed buckets empty. */
    private static void assertEven(int[] counts, int copies) {
        long working = Arrays.stream(counts).filter(c -> c > 0).count();
        double mean = KEYS * copies / (double) working;
        for (int bucket = 0; bucket < counts.length; bucket++) {
            if (counts[bucket] > 0) {
                assertEquals(mean, counts[bucket], 0.05 * mean, "bucket " + bucket + " of " + Arrays.toString(counts));
            }
        }
    }
}
