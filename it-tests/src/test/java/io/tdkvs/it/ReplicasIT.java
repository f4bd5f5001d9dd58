package io.tdkvs.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import io.tdkvs.it.support.Admin;
import io.tdkvs.it.support.Cluster;
import io.tdkvs.it.support.Dataset;
import io.tdkvs.it.support.Reply;
import io.tdkvs.it.support.Server;
import io.tdkvs.it.support.Store;
import io.tdkvs.protocol.BlobFile;
import io.tdkvs.runtime.Sha256;

/**
 * Keys kept in several copies ({@code replicas}): a dead volume or a damaged copy costs no read, the
 * copies come back, and changing the number of copies or the volumes puts every key's copies where
 * placement wants them.
 */
class ReplicasIT {

    private static final Duration DEADLINE = Duration.ofMinutes(2);

    /**
     * Two copies on four volumes: one volume killed and its folder deleted, then every key still reads
     * back byte for byte; a write that cannot store a majority of its copies fails whole; once the volume
     * is back, empty, the reads bring its copies back. A copy with a flipped byte is never served: the
     * read answers from the other copy, and the damaged one is replaced.
     */
    @Test
    void aDeadVolumeOrADamagedCopyCostsNoRead() throws IOException {
        try (Cluster cluster = Cluster.start("replicas-outage", 4, "replicas: 2\n")) {
            Store store = cluster.store();
            Dataset data = new Dataset("replicas", 3000);
            data.write(store);
            assertEquals(copies(data.keys(), 2), copiesHeld(cluster, 4), "every key has two copies on distinct volumes");

            cluster.volume(1).kill();
            deleteTree(cluster.dir().resolve("volume1"));
            data.verify(store);

            List<String> refused = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                Reply put = store.put("while-down-" + i, new byte[] {(byte) i});
                assertTrue(put.status() == 201 || put.status() == 503, put::toString);
                if (put.status() == 503) {
                    assertTrue(put.text().contains("only 1 of 2 copies were stored, and 2 are needed; nothing was written"),
                            put::toString);
                    refused.add("while-down-" + i);
                }
            }
            assertTrue(!refused.isEmpty() && refused.size() < 40, refused.size() + " of 40 writes refused");
            refused.forEach(key -> assertEquals(404, store.get(key).status(), key + " was never written"));

            cluster.volume(1).start().awaitReady();
            data.verify(store);
            JsonObject verify = verify(store);
            assertEquals(4, verify.getJsonArray("volumes").size(), verify::toString);
            assertEquals(3000 + 40 - refused.size(), verify.getJsonNumber("keys").longValue(), verify::toString);
            assertEquals(0, verify.getJsonNumber("unrepairable").longValue(), verify::toString);
            awaitCopies(cluster, data.keys(), 2);
            int written = 3000 + 40 - refused.size();
            Cluster.Run again = cluster.runVerify();
            assertEquals(0, again.status(), again::output);
            assertTrue(again.output().contains("verify done: " + written + " keys, " + 2 * written + " copies checked, 0 missing, "
                    + "0 damaged, 0 unrepairable"), again::output);

            String key = data.key(7);
            URI holder = cluster.volume(firstCopy(key, 4)).uri();
            Path file = Store.blobFile(key, holder);
            byte[] stored = Files.readAllBytes(file);
            stored[stored.length - BlobFile.TRAILER_BYTES - 1] ^= 0x01;
            Files.write(file, stored);
            for (int read = 0; read < 3; read++) {
                Reply answer = store.get(key);
                assertEquals(200, answer.status(), answer::toString);
                assertArrayEquals(data.value(7), answer.body());
            }
            awaitCopies(cluster, data.keys(), 2);
            assertArrayEquals(data.value(7), Store.blobValue(key, holder), "the damaged copy was replaced by a good one");
        }
    }

    /**
     * One copy, then two, a fourth volume added online, then one again: after each change's migration
     * every key has as many copies as asked, each on another volume, and reads back.
     */
    @Test
    void changingTheCopiesOrTheVolumesPutsEveryCopyInPlace() {
        try (Cluster cluster = Cluster.start("replicas-change", 3)) {
            Store store = cluster.store();
            Dataset data = new Dataset("copies", 1500);
            data.write(store);
            assertEquals(copies(data.keys(), 1), copiesHeld(cluster, 3));

            cluster.masterSettings("replicas: 2\n");
            cluster.restartMaster();
            assertEquals("done", cluster.awaitMigration(DEADLINE).getString("state"));
            assertEquals(copies(data.keys(), 2), copiesHeld(cluster, 3));
            data.verify(store);

            int added = cluster.addVolume();
            assertEquals(202, cluster.addOnline(added).status());
            assertEquals("done", cluster.awaitMigration(DEADLINE).getString("state"));
            assertEquals(copies(data.keys(), 2), copiesHeld(cluster, 4));
            long onNew = Store.blobKeys(cluster.volume(added).uri()).size();
            assertTrue(onNew > 2 * 1500 / 4 * 0.8 && onNew < 2 * 1500 / 4 * 1.2, onNew + " copies moved onto the new volume");
            data.verify(store);

            cluster.masterSettings("replicas: 1\n");
            cluster.listVolumes(List.of(0, 1, 2, added));
            cluster.restartMaster();
            assertEquals("done", cluster.awaitMigration(DEADLINE).getString("state"));
            assertEquals(copies(data.keys(), 1), copiesHeld(cluster, 4));
            data.verify(store);
        }
    }

    /** Runs a verify through the admin API and waits for its end; answers its status. */
    private static JsonObject verify(Store store) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        Reply started;
        while ((started = Admin.send(store, "verify", "", Admin.bearer(Cluster.ADMIN_TOKEN))).status() == 409) {
            // the master verifies a volume that answers again by itself
            assertTrue(System.nanoTime() < deadline, started::toString);
            Server.sleep(200);
        }
        assertEquals(202, started.status(), started::toString);
        for (JsonObject status; ; Server.sleep(200)) {
            status = store.json("admin/verify");
            if (!status.getString("state").equals("running")) {
                assertEquals("done", status.getString("state"), status::toString);
                return status;
            }
            assertTrue(System.nanoTime() < deadline, "the verify did not end in " + DEADLINE);
        }
    }

    /** How many copies of each key the volumes hold, by their listings; a key listed twice by one volume fails. */
    private static Map<String, Integer> copiesHeld(Cluster cluster, int volumes) {
        Map<String, Integer> copies = new HashMap<>();
        for (int i = 0; i < volumes; i++) {
            List<String> keys = Store.blobKeys(cluster.volume(i).uri());
            assertEquals(keys.size(), keys.stream().distinct().count(), "volume " + i + " holds one blob per key");
            keys.forEach(key -> copies.merge(key, 1, Integer::sum));
        }
        return copies;
    }

    private static Map<String, Integer> copies(List<String> keys, int each) {
        Map<String, Integer> copies = new HashMap<>();
        keys.forEach(key -> copies.put(key, each));
        return copies;
    }

    /** Waits until each of {@code keys} has {@code each} copies on the four volumes. */
    private static void awaitCopies(Cluster cluster, List<String> keys, int each) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        for (long wrong; (wrong = wrongCopies(copiesHeld(cluster, 4), keys, each)) > 0; Server.sleep(500)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(wrong + " keys still lack copies after " + DEADLINE);
            }
        }
    }

    private static long wrongCopies(Map<String, Integer> held, List<String> keys, int each) {
        return keys.stream().filter(key -> held.getOrDefault(key, 0) != each).count();
    }

    /**
     * The volume of a key's first copy, the one reads try first, in a cluster that never changed its
     * volumes: jump consistent hash (arXiv:1406.2294) of the first 8 bytes of the SHA-256 of the key.
     */
    private static int firstCopy(String key, int volumes) {
        long k = ByteBuffer.wrap(Sha256.of(key.getBytes(StandardCharsets.UTF_8))).getLong();
        long b = -1;
        for (long j = 0; j < volumes; ) {
            b = j;
            k = k * 2862933555777941757L + 1;
            j = (long) ((b + 1) * ((double) (1L << 31) / (double) ((k >>> 33) + 1)));
        }
        return (int) b;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
