package io.tdkvs.master.topology.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.tdkvs.config.MasterConfig;
import io.tdkvs.config.VolumeUrl;
import io.tdkvs.master.keys.entity.Key;
import io.tdkvs.master.topology.entity.Topology;
import io.tdkvs.master.topology.entity.VolumeState;

class TopologyPlannerTest {

    private static final String A = "http://127.0.0.1:3001";
    private static final String B = "http://127.0.0.1:3002";
    private static final String C = "http://127.0.0.1:3003";
    private static final String D = "http://127.0.0.1:3004";

    @Test
    void aNewClusterTakesTheListedVolumesInOrder() {
        TopologyPlan plan = TopologyPlanner.plan(Optional.empty(), config(A, B, C), Optional.empty());
        assertEquals(urls(A, B, C), plan.topology().volumes().stream().map(v -> v.url()).toList());
        assertTrue(plan.topology().settled());
    }

    @Test
    void reorderingTheListChangesNothing() {
        Topology recorded = Topology.initial(urls(A, B, C));
        TopologyPlan plan = TopologyPlanner.plan(Optional.of(recorded), config(C, A, B), Optional.empty());
        assertEquals(recorded, plan.topology());
        for (int i = 0; i < 1000; i++) {
            Key key = Key.of("key-" + i);
            assertEquals(recorded.placement(key).get(0), plan.topology().placement(key).get(0));
        }
    }

    @Test
    void anAppendedVolumeIsAddedAndNeedsARebalance() {
        TopologyPlan plan = TopologyPlanner.plan(Optional.of(Topology.initial(urls(A, B, C))), config(A, B, C, D), Optional.empty());
        assertEquals(4, plan.topology().active().size());
        assertFalse(plan.topology().settled());
        assertEquals(List.of("adding volume " + D), plan.changes());
    }

    @Test
    void aRecordedVolumeMissingFromTheListStopsTheStart() {
        TopologyException e = assertThrows(TopologyException.class, () ->
                TopologyPlanner.plan(Optional.of(Topology.initial(urls(A, B, C))), config(A, C), Optional.empty()));
        assertTrue(e.getMessage().contains(B + " holds keys of this cluster but is missing"), e.getMessage());
        assertTrue(e.getMessage().contains("-delete=<its index>"), e.getMessage());
    }

    @Test
    void deletingAVolumeDrainsItAndTheOthersTakeItsKeys() {
        TopologyPlan plan = TopologyPlanner.plan(Optional.of(Topology.initial(urls(A, B, C))), config(A, B, C), Optional.of(1));
        assertEquals(VolumeState.DRAINING, plan.deleting().orElseThrow().state());
        assertEquals(new VolumeUrl(B), plan.deleting().orElseThrow().url());
        for (int i = 0; i < 1000; i++) {
            assertFalse(plan.topology().placement(Key.of("key-" + i)).get(0).url().equals(new VolumeUrl(B)));
        }
    }

    @Test
    void aDeletedVolumeStillListedStopsANormalStartAndIsForgottenOnceRemoved() {
        Topology drained = TopologyPlanner.plan(Optional.of(Topology.initial(urls(A, B, C))), config(A, B, C), Optional.of(1))
                .topology().afterMigration();
        TopologyException e = assertThrows(TopologyException.class, () ->
                TopologyPlanner.plan(Optional.of(drained), config(A, B, C), Optional.empty()));
        assertTrue(e.getMessage().contains(B + " was deleted from the cluster but is still listed"), e.getMessage());
        TopologyPlan withoutIt = TopologyPlanner.plan(Optional.of(drained), config(A, C), Optional.empty());
        assertEquals(List.of(), withoutIt.topology().retired());
        assertTrue(withoutIt.topology().settled());
    }

    @Test
    void deletingTheSameVolumeTwiceIsHarmless() {
        Topology drained = TopologyPlanner.plan(Optional.of(Topology.initial(urls(A, B, C))), config(A, B, C), Optional.of(1))
                .topology().afterMigration();
        TopologyPlan again = TopologyPlanner.plan(Optional.of(drained), config(A, B, C), Optional.of(1));
        assertTrue(again.nothingToDelete().orElseThrow().contains("already deleted"));
        assertTrue(again.deleting().isEmpty());
    }

    @Test
    void anInterruptedDeleteResumes() {
        Topology draining = TopologyPlanner.plan(Optional.of(Topology.initial(urls(A, B, C))), config(A, B, C), Optional.of(0))
                .topology();
        TopologyPlan resumed = TopologyPlanner.plan(Optional.of(draining), config(A, B, C), Optional.of(0));
        assertEquals(draining, resumed.topology());
        assertEquals(List.of("resuming the deletion of volume 0 (" + A + ")"), resumed.changes());
        TopologyPlan normal = TopologyPlanner.plan(Optional.of(draining), config(B, C), Optional.empty());
        assertFalse(normal.topology().settled());
    }

    @Test
    void refusesDeletesThatCannotBeDone() {
        Topology recorded = Topology.initial(urls(A, B));
        assertTrue(assertThrows(TopologyException.class, () ->
                TopologyPlanner.plan(Optional.of(recorded), config(A, B), Optional.of(2))).getMessage().contains("out of range"));
        assertTrue(assertThrows(TopologyException.class, () ->
                TopologyPlanner.plan(Optional.of(recorded), config(A, B), Optional.of(-1))).getMessage().contains("out of range"));
        assertTrue(assertThrows(TopologyException.class, () ->
                TopologyPlanner.plan(Optional.of(Topology.initial(urls(A))), config(A), Optional.of(0))).getMessage().contains("last volume"));
        Topology oneLeft = TopologyPlanner.plan(Optional.of(recorded), config(A, B), Optional.of(0)).topology();
        assertTrue(assertThrows(TopologyException.class, () ->
                TopologyPlanner.plan(Optional.of(oneLeft), config(A, B), Optional.of(1))).getMessage().contains("last active volume"));
    }

    private static List<VolumeUrl> urls(String... urls) {
        return Arrays.stream(urls).map(VolumeUrl::new).toList();
    }

    @Test
    void aChangeOfReplicasIsAMigration() {
        Topology fresh = TopologyPlanner.plan(Optional.empty(), config(2, A, B, C), Optional.empty()).topology();
        assertEquals(2, fresh.replicas());
        assertTrue(fresh.settled(), "a new cluster has nothing to copy");
        TopologyPlan more = TopologyPlanner.plan(Optional.of(Topology.initial(urls(A, B, C))), config(3, A, B, C), Optional.empty());
        assertEquals(3, more.topology().replicas());
        assertFalse(more.topology().settled());
        assertTrue(more.changes().contains("keeping 3 copies of each value (was 1)"), more.changes().toString());
        assertTrue(TopologyPlanner.plan(Optional.of(fresh), config(2, A, B, C), Optional.empty()).topology().settled());
    }

    @Test
    void aDeleteThatWouldLeaveTooFewVolumesForTheCopiesIsRefused() {
        Topology recorded = Topology.initial(urls(A, B, C), 3);
        TopologyException e = assertThrows(TopologyException.class,
                () -> TopologyPlanner.plan(Optional.of(recorded), config(3, A, B, C), Optional.of(0)));
        assertTrue(e.getMessage().contains("replicas: 3 in /etc/tdkvs/master.yaml needs as many volumes, and 2 would be left "
                + "after the delete; lower replicas first"), e.getMessage());
    }

    private static MasterConfig config(String... volumes) {
        return config(1, volumes);
    }

    private static MasterConfig config(int replicas, String... volumes) {
        return new MasterConfig(Path.of("/etc/tdkvs/master.yaml"), 3000, "127.0.0.1", urls(volumes),
                Path.of("/var/lib/tdkvs"), 4, 0, replicas, java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(),
                io.tdkvs.config.Deadlines.defaults(), java.util.OptionalLong.empty(), java.util.Optional.empty());
    }
}
