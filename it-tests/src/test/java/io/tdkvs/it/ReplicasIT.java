package io.tdkvs.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import org.junit.jupiter.api.Test;

import io.tdkvs.it.support.Admin;
import io.tdkvs.it.support.Cluster;
import io.tdkvs.it.support.Dataset;
import io.tdkvs.it.support.Placement;
import io.tdkvs.it.support.Reply;
import io.tdkvs.it.support.Server;
import io.tdkvs.it.support.Store;
import io.tdkvs.protocol.BlobFile;

/**
 * Keys kept in several copies ({@code replicas}): a dead volume or a damaged copy costs no read, the
 * copies come back, and changing the number of copies or the volumes puts every key's copies where
 * placement wants them.
 */
class ReplicasIT {

    private static final Duration DEADLINE = Duration.ofMinutes(2);
    private static final int KEYS = 3000;
    private static final List<Integer> ALL = List.of(0, 1, 2, 3);

    /**
     * Two copies of 3,000 keys on four volumes. A copy with a flipped byte is never served: the read
     * answers from the other copy, and the damaged one is replaced; one that no read touches is found by
     * the volume's scrub, and the master replaces it by itself. One volume killed and its folder deleted:
     * every key still reads back byte for byte; writes go on, each copy that belongs on the dead volume
     * stored on the next volume of its key's ranking; once the volume is back, empty, a verify brings its
     * copies back and the copies stored elsewhere move home. Another volume killed and
     * deleted for good: removed through the admin API, its copies come back from the others, and a verify
     * then finds every key with two good copies on the three volumes left.
     */
    @Test
    void aDeadVolumeOrADamagedCopyCostsNoReadAndTheCopiesComeBack() throws IOException {
        try (Cluster cluster = Cluster.start("replicas-outage", 4, "replicas: 2\n")) {
            Store store = cluster.store();
            Dataset data = new Dataset("replicas", KEYS);
            data.write(store);
            assertEquals(copies(data.keys(), 2), copiesHeld(cluster, ALL), "every key has two copies on distinct volumes");

            String key = data.key(7);
            URI holder = cluster.volume(Placement.firstCopy(key, 4)).uri();
            flipLastByte(Store.blobFile(key, holder));
            for (int read = 0; read < 3; read++) {
                Reply answer = store.get(key);
                assertEquals(200, answer.status(), answer::toString);
                assertArrayEquals(data.value(7), answer.body());
            }
            awaitCopies(cluster, ALL, data.keys(), 2);
            assertArrayEquals(data.value(7), Store.blobValue(key, holder), "the damaged copy was replaced by a good one");

            String unread = data.key(8);
            URI second = ALL.stream().map(i -> cluster.volume(i).uri()).filter(volume -> Store.blobKeys(volume).contains(unread))
                    .filter(volume -> !volume.equals(cluster.volume(Placement.firstCopy(unread, 4)).uri())).findFirst().orElseThrow();
            flipLastByte(Store.blobFile(unread, second));
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (!goodCopy(unread, second, data.value(8))) {
                assertTrue(System.nanoTime() < deadline, "the scrub's find was not repaired in " + DEADLINE);
                Server.sleep(500);
            }

            cluster.volume(1).kill();
            deleteTree(cluster.dir().resolve("volume1"));
            data.verify(store);

            List<String> whileDown = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                Reply put = store.put("while-down-" + i, new byte[] {(byte) i});
                assertEquals(201, put.status(), "a write survives a dead volume: its copy goes to the next volume; " + put);
                whileDown.add("while-down-" + i);
            }
            Map<String, Integer> meanwhile = copiesHeld(cluster, List.of(0, 2, 3));
            assertEquals(0, wrongCopies(meanwhile, whileDown, 2), "two copies of each, on the volumes that answer: " + meanwhile);
            for (int i = 0; i < 40; i++) {
                assertArrayEquals(new byte[] {(byte) i}, store.get("while-down-" + i).body());
            }

            cluster.volume(1).start().awaitReady();
            data.verify(store);
            int written = KEYS + 40;
            JsonObject verify = Admin.verify(store, Cluster.ADMIN_TOKEN, DEADLINE);
            assertEquals(4, verify.getJsonArray("volumes").size(), verify::toString);
            assertEquals(written, verify.getJsonNumber("keys").longValue(), verify::toString);
            assertEquals(0, verify.getJsonNumber("unrepairable").longValue(), verify::toString);
            Reply unknown = store.send("GET", "/admin/verify/2001-01-01T00:00:00Z", null);
            assertEquals(404, unknown.status(), "no verify began then: " + unknown);
            assertTrue(unknown.text().contains("no verify began at 2001-01-01T00:00:00Z"), unknown::toString);
            List<String> everyKey = new ArrayList<>(data.keys());
            everyKey.addAll(whileDown);
            awaitCopies(cluster, ALL, everyKey, 2);
            long deadline2 = System.nanoTime() + DEADLINE.toNanos();
            while ((verify = Admin.verify(store, Cluster.ADMIN_TOKEN, DEADLINE)).getJsonNumber("misplaced").longValue() > 0
                    || verify.getJsonNumber("missing").longValue() > 0) {
                assertTrue(System.nanoTime() < deadline2, "copies not home yet: " + verify);
                Server.sleep(1000);
            }
            awaitCopies(cluster, ALL, everyKey, 2);
            for (int i = 0; i < 40; i++) {
                assertArrayEquals(new byte[] {(byte) i}, store.get("while-down-" + i).body());
            }

            URI dead = cluster.volume(2).uri();
            long held = Store.blobKeys(dead).size();
            cluster.volume(2).kill();
            deleteTree(cluster.dir().resolve("volume2"));
            data.verify(store);
            JsonObject lost = lost(store, dead);
            assertEquals(0, lost.getInt("count"), "every key has another copy: " + lost);
            Reply removed = Admin.change(store, "volumes/remove", dead, Admin.bearer(Cluster.ADMIN_TOKEN));
            assertEquals(202, removed.status(), removed::toString);
            JsonObject done = cluster.awaitMigration(DEADLINE);
            assertEquals("done", done.getString("state"), done::toString);
            assertTrue(done.getJsonNumber("moved").longValue() >= held, done + " re-created the " + held + " copies it held");
            data.verify(store);
            List<Integer> left = List.of(0, 1, 3);
            assertEquals(0, wrongCopies(copiesHeld(cluster, left), data.keys(), 2), "two copies of every key on the volumes left");
            JsonObject status = Admin.status(store);
            assertEquals(3, status.getJsonArray("volumes").size(), status::toString);
            assertEquals(2, status.getInt("replicas"), status::toString);
            URI kept = cluster.volume(0).uri();
            assertEquals(201, Store.plantBlob(kept, data.key(9), 0, new byte[] {9}).status(), "a copy older than any write planted");
            assertEquals(201, Store.plantBlob(kept, "never-written", 0, new byte[] {1}).status(), "a copy of no key planted");
            cluster.listVolumes(left);
            Cluster.Run again = cluster.runVerify();
            assertEquals(0, again.status(), again::output);
            Matcher report = Pattern.compile("verify done: " + written + " keys, " + 2 * written + " copies checked, 0 missing, "
                    + "0 damaged, 0 unrepairable, (\\d+) orphans removed").matcher(again.output());
            assertTrue(report.find(), again::output);
            assertTrue(Integer.parseInt(report.group(1)) >= 2, again::output);
            assertFalse(Store.holdsBlob(kept, data.key(9), 0), "the old copy is removed");
            assertFalse(Store.holdsBlob(kept, "never-written", 0), "the copy of no key is removed");
            data.verify(store);
        }
    }

    /**
     * One copy, then two, a fourth volume added online, three copies through the admin API, then one
     * again: after each change's migration every key has as many copies as asked, each on another
     * volume, and reads back. Then, with one copy, a dead volume: its removal is refused with the count
     * of keys only it held, the report lists exactly them, and with acceptLoss they are forgotten (404)
     * while the rest stays.
     */
    @Test
    void changingTheCopiesOrTheVolumesPutsEveryCopyInPlace() {
        List<Integer> three = List.of(0, 1, 2);
        try (Cluster cluster = Cluster.start("replicas-change", 3)) {
            Store store = cluster.store();
            Dataset data = new Dataset("copies", 1500);
            data.write(store);
            assertEquals(copies(data.keys(), 1), copiesHeld(cluster, three));

            cluster.masterSettings("replicas: 2\n");
            cluster.restartMaster();
            assertEquals("done", cluster.awaitMigration(DEADLINE).getString("state"));
            assertEquals(copies(data.keys(), 2), copiesHeld(cluster, three));
            data.verify(store);

            int added = cluster.addVolume();
            assertEquals(202, cluster.addOnline(added).status());
            assertEquals("done", cluster.awaitMigration(DEADLINE).getString("state"));
            assertEquals(copies(data.keys(), 2), copiesHeld(cluster, ALL));
            long onNew = Store.blobKeys(cluster.volume(added).uri()).size();
            assertTrue(onNew > 2 * 1500 / 4 * 0.8 && onNew < 2 * 1500 / 4 * 1.2, onNew + " copies moved onto the new volume");
            data.verify(store);

            String token = Admin.bearer(Cluster.ADMIN_TOKEN);
            assertEquals(400, Admin.send(store, "replicas", "{\"replicas\": 5}", token).status(), "5 copies need 5 volumes");
            assertEquals(400, Admin.send(store, "replicas", "{\"replicas\": \"3\"}", token).status());
            assertEquals(401, Admin.send(store, "replicas", "{\"replicas\": 3}", null).status());
            Reply more = Admin.send(store, "replicas", "{\"replicas\": 3}", token);
            assertEquals(202, more.status(), more::toString);
            assertEquals("done", cluster.awaitMigration(DEADLINE).getString("state"));
            assertEquals(409, Admin.send(store, "replicas", "{\"replicas\": 3}", token).status(), "unchanged");
            assertEquals(copies(data.keys(), 3), copiesHeld(cluster, ALL));
            data.verify(store);

            cluster.masterSettings("replicas: 1\n");
            cluster.listVolumes(List.of(0, 1, 2, added));
            cluster.restartMaster();
            assertEquals("done", cluster.awaitMigration(DEADLINE).getString("state"));
            assertEquals(copies(data.keys(), 1), copiesHeld(cluster, ALL));
            data.verify(store);

            URI dead = cluster.volume(added).uri();
            List<String> onDead = Store.blobKeys(dead);
            cluster.volume(added).kill();
            Reply refused = Admin.change(store, "volumes/remove", dead, token);
            assertEquals(409, refused.status(), refused::toString);
            assertTrue(refused.text().contains(onDead.size() + " keys have no copy on another volume and would be lost"),
                    refused::toString);
            JsonObject lost = lost(store, dead);
            assertEquals(onDead.size(), lost.getInt("count"));
            assertEquals(new HashSet<>(onDead), new HashSet<>(lost.getJsonArray("keys").getValuesAs(JsonString::getString)));
            Reply bad = Admin.send(store, "volumes/remove", "{\"url\": \"" + dead + "\", \"acceptLoss\": \"yes\"}", token);
            assertEquals(400, bad.status(), bad::toString);
            Reply accepted = Admin.send(store, "volumes/remove", "{\"url\": \"" + dead + "\", \"acceptLoss\": true}", token);
            assertEquals(202, accepted.status(), accepted::toString);
            assertEquals("done", cluster.awaitMigration(DEADLINE).getString("state"));
            for (int i = 0; i < data.size(); i++) {
                Reply answer = store.get(data.key(i));
                if (onDead.contains(data.key(i))) {
                    assertEquals(404, answer.status(), answer::toString);
                } else {
                    assertArrayEquals(data.value(i), answer.body(), data.key(i));
                }
            }
        }
    }

    /** {@code GET /admin/volumes/lost?url=<volume>}. */
    private static JsonObject lost(Store store, URI volume) {
        Reply answer = Reply.of(store.target().path("admin/volumes/lost").queryParam("url", volume.toString()).request().get());
        assertEquals(200, answer.status(), answer::toString);
        return Json.createReader(new StringReader(answer.text())).readObject();
    }


    /** How many copies of each key these volumes hold, by their listings; a key listed twice by one volume fails. */
    private static Map<String, Integer> copiesHeld(Cluster cluster, List<Integer> volumes) {
        Map<String, Integer> copies = new HashMap<>();
        for (int i : volumes) {
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

    /** Waits until each of {@code keys} has {@code each} copies on these volumes. */
    private static void awaitCopies(Cluster cluster, List<Integer> volumes, List<String> keys, int each) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        for (long wrong; (wrong = wrongCopies(copiesHeld(cluster, volumes), keys, each)) > 0; Server.sleep(500)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(wrong + " keys still lack copies after " + DEADLINE);
            }
        }
    }

    private static long wrongCopies(Map<String, Integer> held, List<String> keys, int each) {
        return keys.stream().filter(key -> held.getOrDefault(key, 0) != each).count();
    }


    /** Flips a bit of the last byte of a blob file's value. */
    private static void flipLastByte(Path file) throws IOException {
        byte[] stored = Files.readAllBytes(file);
        stored[stored.length - BlobFile.TRAILER_BYTES - 1] ^= 0x01;
        Files.write(file, stored);
    }

    /** Whether a volume holds a good copy of the value of {@code key} (it answers 500 for a damaged one). */
    private static boolean goodCopy(String key, URI volume, byte[] value) {
        try {
            return Arrays.equals(value, Store.blobValue(key, volume));
        } catch (AssertionError e) {
            return false;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
