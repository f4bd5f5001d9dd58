package io.tdkvs.master.topology.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.tdkvs.config.VolumeUrl;
import io.tdkvs.master.keys.entity.Key;
import io.tdkvs.master.keys.entity.MetaKey;

/** {@link Topology#nextStep}: the copy steps that take a key's copies from one topology's placement to another's. */
class CopyStepsTest {

    private static final int KEYS = 2_000;

    @Test
    void oneCopyMovesFromItsOldVolumeToItsNewOne() {
        Topology before = Topology.initial(urls(3));
        Topology after = before.withAdded(url(3));
        int moved = 0;
        for (int i = 0; i < KEYS; i++) {
            Key key = Key.of("key-" + i);
            MetaKey meta = new MetaKey(before.placementIds(key), 7, 1, 1);
            Optional<CopyStep> step = after.nextStep(key, meta);
            if (after.placementIds(key).equals(meta.holders())) {
                assertEquals(Optional.empty(), step);
                assertFalse(after.misplaced(key, meta));
            } else {
                moved++;
                assertTrue(after.misplaced(key, meta));
                assertEquals(new CopyStep(meta.holders().get(0), OptionalInt.of(3), true, List.of(3)), step.orElseThrow());
            }
        }
        assertTrue(moved > KEYS / 4 - KEYS / 20 && moved < KEYS / 4 + KEYS / 20, moved + " keys moved");
    }

    @Test
    void theRankingBeginsWithThePlacementAndNamesEveryActiveVolumeOnce() {
        Topology topology = Topology.initial(urls(5), 2).withDraining(3);
        for (int i = 0; i < KEYS; i++) {
            Key key = Key.of("key-" + i);
            List<Integer> ranking = topology.ranking(key).stream().map(Volume::id).toList();
            assertEquals(topology.placementIds(key), ranking.subList(0, 2), key.toString());
            assertEquals(new HashSet<>(List.of(0, 1, 2, 4)), new HashSet<>(ranking), key.toString());
            assertEquals(4, ranking.size());
        }
        assertEquals(2, topology.copies());
        assertEquals(3, Topology.initial(urls(3), 5).copies(), "no more copies than active volumes");
        assertEquals(2, Topology.initial(urls(3), 5).withDraining(1).copies());
    }

    @Test
    void aCopyStoredOnTheNextVolumeOfTheRankingMovesHome() {
        Topology topology = Topology.initial(urls(4), 2);
        for (int i = 0; i < KEYS; i++) {
            Key key = Key.of("key-" + i);
            List<Volume> ranking = topology.ranking(key);
            int home = ranking.get(1).id();
            int substitute = ranking.get(2).id();
            MetaKey meta = new MetaKey(List.of(ranking.get(0).id(), substitute), 7, 1, 1);
            assertTrue(topology.misplaced(key, meta));
            assertEquals(new CopyStep(substitute, OptionalInt.of(home), true, topology.placementIds(key)),
                    topology.nextStep(key, meta).orElseThrow());
        }
    }

    @ParameterizedTest(name = "{0} copies on 4 volumes, then {1} copies after {2}")
    @CsvSource({"1, 2, nothing", "2, 3, nothing", "3, 2, nothing", "2, 1, nothing", "2, 2, adding a volume",
            "2, 2, draining a volume", "3, 3, draining a volume", "1, 3, adding a volume", "3, 1, draining a volume",
            "2, 2, removing a dead volume", "3, 3, removing a dead volume", "3, 2, removing a dead volume"})
    void stepsReachThePlacementAndNeverLoseACopy(int copiesBefore, int copiesAfter, String change) {
        Topology before = Topology.initial(urls(4)).withReplicas(copiesBefore);
        Topology after = switch (change) {
            case "adding a volume" -> before.withAdded(url(4));
            case "draining a volume" -> before.withDraining(1);
            case "removing a dead volume" -> before.withRemoved(1);
            default -> before;
        };
        after = after.withReplicas(copiesAfter);
        int steps = 0;
        for (int i = 0; i < KEYS; i++) {
            Key key = Key.of("key-" + i);
            MetaKey meta = new MetaKey(before.placementIds(key), 7, 1, 1);
            Topology now = after;
            int fewest = Math.min((int) meta.holders().stream().filter(id -> now.volume(id).isPresent()).count(), copiesAfter);
            for (Optional<CopyStep> step; (step = after.nextStep(key, meta)).isPresent(); ) {
                CopyStep made = step.get();
                assertTrue(meta.heldBy(made.source()) && now.volume(made.source()).isPresent(), key + ": copies from a holder in the cluster");
                MetaKey held = meta;
                made.target().ifPresent(target -> assertFalse(held.heldBy(target), key + ": copies to a volume without one"));
                assertEquals(new HashSet<>(expected(meta.holders(), made, after)), new HashSet<>(made.holders()), key.toString());
                assertTrue(made.holders().size() >= fewest, key + " would keep " + made.holders().size() + " copies");
                meta = meta.heldBy(made.holders());
                assertTrue(++steps <= KEYS * (copiesAfter + copiesBefore), "steps do not end");
            }
            assertEquals(after.placementIds(key), meta.holders(), key + ": copies in placement order");
            assertFalse(after.misplaced(key, meta));
        }
    }

    @Test
    void aHolderThatLeftTheClusterIsForgotten() {
        Topology topology = Topology.initial(urls(3)).withReplicas(2);
        Key key = Key.of("k");
        List<Integer> placed = topology.placementIds(key);
        MetaKey meta = new MetaKey(List.of(placed.get(1), 9, placed.get(0)), 1, 1, 1);
        assertTrue(topology.misplaced(key, meta));
        assertEquals(new CopyStep(placed.get(1), OptionalInt.empty(), false, placed), topology.nextStep(key, meta).orElseThrow());
        assertEquals(Optional.empty(), topology.nextStep(key, new MetaKey(9, 1, 1, 1)), "nothing left to copy from");
    }

    /** What a step leaves: the holders still in the cluster, plus its target, minus its source if that goes. */
    private static List<Integer> expected(List<Integer> holders, CopyStep step, Topology topology) {
        List<Integer> after = new ArrayList<>(holders.stream().filter(id -> topology.volume(id).isPresent()).toList());
        step.target().ifPresent(after::add);
        if (step.removeSource()) {
            after.remove(Integer.valueOf(step.source()));
        }
        return after;
    }

    private static List<VolumeUrl> urls(int n) {
        List<VolumeUrl> urls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            urls.add(url(i));
        }
        return urls;
    }

    private static VolumeUrl url(int i) {
        return new VolumeUrl("http://127.0.0.1:" + (4000 + i));
    }
}
