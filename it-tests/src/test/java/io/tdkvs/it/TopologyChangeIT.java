package io.tdkvs.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import io.tdkvs.it.support.Admin;
import io.tdkvs.it.support.Cluster;
import io.tdkvs.it.support.Dataset;
import io.tdkvs.it.support.Reply;
import io.tdkvs.it.support.Store;

/**
 * Adding and deleting volumes with the operator's procedure: list a new volume and restart the
 * master; {@code tdkvs master -delete=<index>}, remove it from the list, restart.
 */
class TopologyChangeIT {

    private static final int KEYS = 2000;

    @Test
    void addingAFourthVolumeMovesAQuarterOfTheKeysOntoItAndAfterAnOnlineDrainTheMasterStartsOnceItsConfigSaysSo() {
        try (Cluster cluster = Cluster.start("add-volume", 3)) {
            Store store = cluster.store();
            Dataset data = new Dataset("add", KEYS);
            data.write(store);
            List<Set<String>> before = holdings(cluster, 3);

            int added = cluster.addVolume();
            cluster.listVolumes(List.of(0, 1, 2, added));
            cluster.restartMaster();
            JsonObject done = cluster.awaitMigration(java.time.Duration.ofMinutes(3));
            assertEquals("done", Admin.state(done), done::toString);

            data.verify(store);
            List<Set<String>> after = holdings(cluster, 4);
            double moved = after.get(added).size() / (double) KEYS;
            System.out.printf("add a 4th volume: %d of %d keys moved (%.1f%%, ideal 25%%)%n", after.get(added).size(), KEYS, 100 * moved);
            assertTrue(moved >= 0.20 && moved <= 0.30, "moved " + moved);
            for (int i = 0; i < 3; i++) {
                assertTrue(before.get(i).containsAll(after.get(i)), "volume " + i + " gained keys");
            }
            assertEquals(KEYS, after.stream().mapToInt(Set::size).sum(), "every key on exactly one volume, no leftovers");
            assertTrue(cluster.master().log().contains("rebalance onto"), "the master says what it does");

            assertEquals(202, cluster.drainOnline(1).status());
            JsonObject drained = cluster.awaitMigration(java.time.Duration.ofMinutes(3));
            assertEquals("done", Admin.state(drained), drained::toString);
            assertEquals(List.of(), Store.blobKeys(cluster.volume(1).uri()), "the drained volume is empty");
            cluster.stopMaster();
            Cluster.Run stillListed = cluster.runMaster();
            assertEquals(2, stillListed.status(), stillListed.output());
            assertTrue(stillListed.output().contains("was deleted from the cluster but is still listed"), stillListed.output());
            cluster.listVolumes(List.of(0, 2, added));
            cluster.startMaster();
            data.verify(store);
        }
    }

    @Test
    void deletingAMiddleVolumeMovesOnlyItsKeysAndTheMasterRestartsWithEveryValue() {
        try (Cluster cluster = Cluster.start("delete-volume", 4)) {
            Store store = cluster.store();
            Dataset data = new Dataset("delete", KEYS);
            data.write(store);
            List<Set<String>> before = holdings(cluster, 4);
            cluster.stopMaster();

            Cluster.Run delete = cluster.runMaster("-delete=1");
            assertEquals(0, delete.status(), delete.output());
            assertTrue(delete.output().contains("deleted: " + before.get(1).size() + " keys moved"), delete.output());

            List<Set<String>> after = holdings(cluster, 4);
            assertEquals(Set.of(), after.get(1), "the deleted volume holds no key");
            for (int i : new int[] {0, 2, 3}) {
                assertTrue(after.get(i).containsAll(before.get(i)), "volume " + i + " lost a key it kept");
            }
            int moved = after.get(0).size() + after.get(2).size() + after.get(3).size()
                    - before.get(0).size() - before.get(2).size() - before.get(3).size();
            System.out.printf("delete the 2nd of 4 volumes: %d keys moved = the %d it held (%.1f%% of all)%n",
                    moved, before.get(1).size(), 100.0 * moved / KEYS);
            assertEquals(before.get(1).size(), moved);

            Cluster.Run again = cluster.runMaster("-delete=1");
            assertEquals(0, again.status(), again.output());
            assertTrue(again.output().contains("is already deleted and holds no keys"), again.output());

            cluster.listVolumes(List.of(0, 2, 3));
            cluster.startMaster();
            data.verify(store);
            cluster.restartMaster();
            data.verify(store);
        }
    }

    private static List<Set<String>> holdings(Cluster cluster, int volumes) {
        return IntStream.range(0, volumes).mapToObj(i -> (Set<String>) new HashSet<>(Store.blobKeys(cluster.volume(i).uri()))).toList();
    }
}
