package io.tdkvs.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tdkvs.it.support.Cluster;
import io.tdkvs.it.support.Dataset;
import io.tdkvs.it.support.Reply;
import io.tdkvs.it.support.Store;

/** The master refuses, with a message and a non-zero exit, the changes that would lose or needlessly move data. */
class StartupGuardsIT {

    @Test
    void reorderingIsHarmlessDroppingARecordedVolumeOrDeletingWithOneDownIsRefused() {
        try (Cluster cluster = Cluster.start("guards", 3)) {
            Store store = cluster.store();
            Dataset data = new Dataset("guards", 300);
            data.write(store);
            List<String> onFirst = Store.blobKeys(cluster.volume(0).uri());
            cluster.stopMaster();

            cluster.listVolumes(List.of(0, 2));
            Cluster.Run dropped = cluster.runMaster();
            assertEquals(2, dropped.status(), dropped.output());
            assertTrue(dropped.output().contains(cluster.volume(1).uri() + " holds keys of this cluster but is missing"),
                    dropped.output());

            cluster.listVolumes(List.of(0, 1, 2));
            cluster.volume(2).stop();
            Cluster.Run deleteWithOneDown = cluster.runMaster("-delete=0");
            assertEquals(1, deleteWithOneDown.status(), deleteWithOneDown.output());
            assertTrue(deleteWithOneDown.output().contains("Nothing was moved"), deleteWithOneDown.output());
            cluster.volume(2).start().awaitReady();
            assertEquals(new HashSet<>(onFirst), new HashSet<>(Store.blobKeys(cluster.volume(0).uri())), "nothing moved");

            Cluster.Run outOfRange = cluster.runMaster("-delete=3");
            assertEquals(2, outOfRange.status(), outOfRange.output());
            assertTrue(outOfRange.output().contains("-delete=3 is out of range"), outOfRange.output());

            cluster.listVolumes(List.of(2, 0, 1));
            cluster.startMaster();
            data.verify(store);
            assertEquals(new HashSet<>(onFirst), new HashSet<>(Store.blobKeys(cluster.volume(0).uri())), "reordering moved nothing");
        }
    }
}
