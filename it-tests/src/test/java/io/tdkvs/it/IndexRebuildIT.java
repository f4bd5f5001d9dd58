package io.tdkvs.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import io.tdkvs.it.support.Cluster;
import io.tdkvs.it.support.Dataset;
import io.tdkvs.it.support.Reply;
import io.tdkvs.it.support.Store;

/** {@code tdkvs master -config=<file> -rebuild}: the index recreated from the volumes after the master's data folder is lost. */
class IndexRebuildIT {

    private static final int KEYS = 600;
    private static final int REPLACED = 100;
    private static final int DELETED = 50;

    /**
     * Two copies of 600 keys on four volumes, 100 replaced, 50 deleted, a stale older blob of one key
     * planted on a volume, the second volume drained online (so placement has a removal the rebuilt
     * index does not know). The master's data folder deleted: the rebuild lists the three volumes,
     * keeps both copies of the newest blob of every key, removes the stale one, and the next start
     * puts right the copies that are off their placement. Every key then reads back, the deleted ones
     * stay deleted, a verify finds two good copies of every key, and new writes win.
     */
    @Test
    void aLostIndexIsRebuiltFromTheVolumesAndEveryKeyReadsBack() throws IOException {
        try (Cluster cluster = Cluster.start("rebuild", 4, "replicas: 2\n")) {
            Store store = cluster.store();
            Dataset data = new Dataset("rebuild", KEYS);
            Instant written = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            data.write(store);
            for (int i = 0; i < REPLACED; i++) {
                assertEquals(204, store.put(data.key(i), replaced(i)).status());
            }
            for (int i = KEYS - DELETED; i < KEYS; i++) {
                assertEquals(204, store.delete(data.key(i)).status());
            }
            Reply stale = Store.plantBlob(cluster.volume(2).uri(), data.key(REPLACED + 1), 1, bytes("stale"));
            assertEquals(201, stale.status(), stale::toString);
            assertEquals(202, cluster.drainOnline(1).status());
            assertEquals("done", cluster.awaitMigration(Duration.ofMinutes(3)).getString("state"));
            cluster.listVolumes(List.of(0, 2, 3));
            cluster.stopMaster();
            deleteFolder(cluster.dir().resolve("master-data"));

            int kept = KEYS - DELETED;
            Cluster.Run rebuild = cluster.runMaster("-rebuild");
            assertEquals(0, rebuild.status(), rebuild.output());
            assertTrue(rebuild.output().contains("index rebuilt from 3 volumes"), rebuild.output());
            assertTrue(rebuild.output().contains(kept + " keys from " + (2 * kept + 1) + " blobs; 1 superseded"), rebuild.output());
            Cluster.Run again = cluster.runMaster("-rebuild");
            assertEquals(2, again.status(), again.output());
            assertTrue(again.output().contains("is not empty (" + kept + " keys)"), again.output());

            cluster.startMaster();
            JsonObject moved = cluster.awaitMigration(Duration.ofMinutes(3));
            assertEquals("done", moved.getString("state"), "the copies found off their placement were put right");
            assertTrue(moved.getJsonNumber("moved").longValue() > 0, moved::toString);
            for (int i = 0; i < KEYS; i++) {
                String key = data.key(i);
                Reply answer = store.get(key);
                if (i >= KEYS - DELETED) {
                    assertEquals(404, answer.status(), key);
                } else {
                    assertEquals(200, answer.status(), () -> key + ": " + answer);
                    assertArrayEquals(i < REPLACED ? replaced(i) : data.value(i), answer.body(), key);
                }
            }
            // the index kept the time of each write; the rebuilt one has it from the blob files (for S3's Last-Modified)
            Instant rebuilt = Instant.parse(store.json("admin/key/" + data.key(KEYS - DELETED - 1)).getString("modified"));
            assertTrue(!rebuilt.isBefore(written) && rebuilt.isBefore(Instant.now()), "written at " + written + ", rebuilt as of " + rebuilt);
            int blobs = 0;
            for (int volume : List.of(0, 2, 3)) {
                blobs += Store.blobKeys(cluster.volume(volume).uri()).size();
            }
            assertEquals(2 * kept, blobs, "two blobs per key are left on the volumes");
            Cluster.Run verify = cluster.runVerify();
            assertEquals(0, verify.status(), verify.output());
            assertTrue(verify.output().contains("verify done: " + kept + " keys, " + 2 * kept + " copies checked, 0 missing, "
                    + "0 damaged, 0 unrepairable, 0 orphans removed"), verify.output());
            assertEquals(204, store.put(data.key(0), bytes("after the rebuild")).status());
            assertEquals("after the rebuild", store.get(data.key(0)).text());
            cluster.restartMaster();
            assertEquals("after the rebuild", store.get(data.key(0)).text());
        }
    }

    private static byte[] replaced(int i) {
        return bytes("replaced value " + i);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void deleteFolder(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
