package io.tdkvs.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.tdkvs.it.support.Admin;
import io.tdkvs.it.support.Cluster;
import io.tdkvs.it.support.Dataset;
import io.tdkvs.it.support.Placement;
import io.tdkvs.it.support.FaultProxy;
import io.tdkvs.it.support.Metrics;
import io.tdkvs.it.support.Parallel;
import io.tdkvs.it.support.Reply;
import io.tdkvs.it.support.Server;
import io.tdkvs.it.support.Store;

/**
 * Faults that pass, on one cluster of four volumes that keeps two copies of each key: volumes that
 * hang (SIGSTOP) cost clients little and writes go on, with their copies on the volumes that answer,
 * which move home afterwards; writes that fail leave no copy behind; a volume that dies while a value
 * streams from it hands the rest to the other copy; and a migration whose new
 * volume answers 500 for a while pauses, then finishes by itself.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SelfHealingIT {

    private static final Duration DEADLINE = Duration.ofMinutes(2);
    private static final List<Integer> FOUR = List.of(0, 1, 2, 3);

    private static Cluster cluster;
    private static Store store;
    private static Dataset data;

    @BeforeAll
    static void start() {
        cluster = Cluster.start("healing", 4, "replicas: 2\n");
        store = cluster.store();
        data = new Dataset("healing", 2000);
        data.write(store);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /**
     * Two volumes frozen at once. A GET whose first copy is on one of them answers from its other copy
     * within 2 s; 24 PUTs, many placed on the frozen volumes, are each acknowledged within 5 s, with both
     * copies on the two volumes that answer. Once the volumes thaw, those copies move home: a verify
     * then finds every key where placement wants it, with two copies.
     */
    @Test
    @Order(1)
    void hungVolumesCostLittleAndWritesGoOnWithTheirCopiesElsewhere() {
        int frozenA = 1;
        int frozenB = 2;
        String onA = IntStream.range(0, data.size()).mapToObj(data::key).filter(key -> Placement.firstCopy(key, 4) == frozenA)
                .findFirst().orElseThrow();
        cluster.volume(frozenA).signal("STOP");
        cluster.volume(frozenB).signal("STOP");
        try {
            List<CompletableFuture<Timed>> puts = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                String key = "while-frozen-" + i;
                puts.add(CompletableFuture.supplyAsync(() -> Timed.of(() -> store.put(key, value(key))), Parallel.AT_ONCE));
            }
            Timed get = Timed.of(() -> store.get(onA));
            assertEquals(200, get.reply().status(), get.reply()::toString);
            assertArrayEquals(data.value(data.keys().indexOf(onA)), get.reply().body());
            System.out.printf("GET with its first copy on a frozen volume answered in %d ms%n", get.millis());
            assertTrue(get.millis() < 2000, "the GET took " + get.millis() + " ms");
            long slowest = 0;
            for (CompletableFuture<Timed> put : puts) {
                Timed done = put.join();
                assertEquals(201, done.reply().status(), done.reply()::toString);
                assertTrue(done.millis() < 5000, "a PUT took " + done.millis() + " ms");
                slowest = Math.max(slowest, done.millis());
            }
            System.out.printf("24 PUTs with two volumes frozen: the slowest was acknowledged in %d ms%n", slowest);
            Set<String> frozenKeys = frozenKeys();
            for (int answering : List.of(0, 3)) {
                List<String> held = Store.blobKeys(cluster.volume(answering).uri());
                assertTrue(held.containsAll(frozenKeys), "volume " + answering + " holds a copy of every key written meanwhile");
            }
        } finally {
            cluster.volume(frozenA).signal("CONT");
            cluster.volume(frozenB).signal("CONT");
        }
        List<String> all = allKeys();
        awaitCopies(all, 2);
        for (String key : frozenKeys()) {
            assertArrayEquals(value(key), store.get(key).body(), key);
        }
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        JsonObject verify;
        while ((verify = Admin.verify(store, Cluster.ADMIN_TOKEN, DEADLINE)).getJsonNumber("misplaced").longValue() > 0) {
            assertTrue(System.nanoTime() < deadline, "copies still away from home: " + verify);
            Server.sleep(1000);
        }
        assertEquals(0, verify.getJsonNumber("missing").longValue(), verify::toString);
        assertEquals(all.size(), verify.getJsonNumber("keys").longValue(), verify::toString);
        awaitCopies(all, 2);
    }

    /**
     * Three volumes of four down (one killed, two frozen): a write stores one copy of two and answers
     * 503. Once the volumes are back, none of those values has a copy left on any volume, the frozen
     * ones that took theirs in late included, and a verify finds no orphan to remove.
     */
    @Test
    @Order(2)
    void aFailedWriteLeavesNoCopyBehind() {
        cluster.volume(3).kill();
        cluster.volume(1).signal("STOP");
        cluster.volume(2).signal("STOP");
        List<String> refused = new ArrayList<>();
        try {
            List<CompletableFuture<Reply>> puts = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String key = "refused-" + i;
                puts.add(CompletableFuture.supplyAsync(() -> store.put(key, value(key)), Parallel.AT_ONCE));
            }
            for (int i = 0; i < puts.size(); i++) {
                Reply put = puts.get(i).join();
                assertEquals(503, put.status(), put::toString);
                assertTrue(put.text().contains("nothing was written"), put::toString);
                refused.add("refused-" + i);
            }
        } finally {
            cluster.volume(1).signal("CONT");
            cluster.volume(2).signal("CONT");
            cluster.volume(3).start().awaitReady();
        }
        refused.forEach(key -> assertEquals(404, store.get(key).status(), key));
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        for (Set<String> left; !(left = heldAnywhere(refused)).isEmpty(); Server.sleep(500)) {
            assertTrue(System.nanoTime() < deadline, "copies of refused writes left on the volumes: " + left);
        }
        JsonObject verify = Admin.verify(store, Cluster.ADMIN_TOKEN, DEADLINE);
        assertEquals(0, verify.getJsonNumber("orphans").longValue(), verify::toString);
        assertEquals(0, verify.getJsonNumber("missing").longValue(), verify::toString);
        data.verify(store);
    }

    /**
     * The volume a 48 MiB value streams from dies (kill -9) once the client has read the first MiB: the
     * master goes on from the value's other copy at the byte it had reached, and the client receives the
     * whole value in one answer, byte for byte; {@code tdkvs_reads_continued} counts the take-over.
     */
    @Test
    @Order(3)
    void aVolumeThatDiesMidValueHandsTheRestToTheOtherCopy() throws IOException {
        String key = IntStream.range(0, 1000).mapToObj(i -> "mid-value-" + i).filter(k -> Placement.firstCopy(k, 4) == 3)
                .findFirst().orElseThrow();
        byte[] value = new byte[48 << 20];
        new Random(7).nextBytes(value);
        // the last test restarted the first copy's volume: until the master knows it to answer, a write puts that copy
        // on another volume, and a read does not start from it
        Metrics.awaitValue(store, () -> 1, "tdkvs_volume_up", "volume=\"" + cluster.volume(3).uri() + "\"");
        assertEquals(201, store.put(key, value).status());
        JsonObject info = store.json("admin/key/" + key);
        assertEquals(cluster.volume(3).uri().toString(), info.getJsonArray("volumes").getString(0), info::toString);
        double before = Metrics.value(store, "tdkvs_reads_continued");
        HttpURLConnection get = (HttpURLConnection) URI.create(store.uri() + "/get/" + key).toURL().openConnection(Proxy.NO_PROXY);
        get.setConnectTimeout(5_000);
        get.setReadTimeout(60_000);
        try {
            assertEquals(200, get.getResponseCode());
            assertEquals(value.length, get.getContentLengthLong());
            ByteArrayOutputStream received = new ByteArrayOutputStream(value.length);
            try (InputStream in = get.getInputStream()) {
                received.write(in.readNBytes(1 << 20));
                cluster.volume(3).kill();
                in.transferTo(received);
            }
            assertEquals(value.length, received.size(), "bytes received");
            assertArrayEquals(value, received.toByteArray());
        } finally {
            get.disconnect();
            cluster.volume(3).start().awaitReady();
        }
        assertEquals(before + 1, Metrics.value(store, "tdkvs_reads_continued"), "reads continued from another copy");
        assertArrayEquals(value, store.get(key).body());
        assertEquals(204, store.delete(key).status());
    }

    /**
     * A fifth volume added online behind a proxy that answers every request 500: the rebalance pauses,
     * saying why, and does not fail; once the proxy passes requests again, it finishes by itself, and
     * every key has two copies on the five volumes.
     */
    @Test
    @Order(4)
    void aMigrationThatMeetsA500PausesAndFinishesByItself() {
        int added = cluster.addVolume();
        try (FaultProxy proxy = FaultProxy.to(cluster.volume(added).port())) {
            proxy.mode(FaultProxy.Mode.ERROR);
            Reply add = Admin.change(store, "volumes", proxy.uri(), Admin.bearer(Cluster.ADMIN_TOKEN));
            assertEquals(202, add.status(), add::toString);
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            JsonObject migration;
            while (!"paused".equals(Admin.state(migration = cluster.migration()))) {
                assertTrue(System.nanoTime() < deadline, "the migration did not pause: " + migration);
                assertTrue(!"failed".equals(Admin.state(migration)), migration::toString);
                Server.sleep(200);
            }
            assertTrue(migration.getString("message").contains("500"), migration::toString);
            assertTrue(proxy.errorsAnswered() > 0);
            Server.sleep(3000);
            assertTrue(Admin.underWay(cluster.migration()), "still under way: " + cluster.migration());

            proxy.mode(FaultProxy.Mode.PASS);
            JsonObject done = cluster.awaitMigration(DEADLINE);
            assertEquals("done", done.getString("state"), done::toString);
            assertTrue(done.getJsonNumber("moved").longValue() > 0, done::toString);
            data.verify(store);
            List<String> all = allKeys();
            Map<String, Integer> held = copiesHeld(List.of(0, 1, 2, 3, added));
            assertEquals(0, all.stream().filter(key -> held.getOrDefault(key, 0) != 2).count(), "two copies of every key");
            assertTrue(Store.blobKeys(cluster.volume(added).uri()).size() > 0, "the new volume took its share");
        }
    }

    private static Set<String> frozenKeys() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 24; i++) {
            keys.add("while-frozen-" + i);
        }
        return keys;
    }

    private static List<String> allKeys() {
        List<String> all = new ArrayList<>(data.keys());
        all.addAll(frozenKeys());
        return all;
    }

    private static byte[] value(String key) {
        return ("value of " + key + " ").repeat(40).getBytes(StandardCharsets.UTF_8);
    }

    /** The refused keys that some volume of the cluster still holds a copy of. */
    private static Set<String> heldAnywhere(List<String> keys) {
        Set<String> held = new HashSet<>();
        for (int i : FOUR) {
            Store.blobKeys(cluster.volume(i).uri()).stream().filter(keys::contains).forEach(held::add);
        }
        return held;
    }


    private static Map<String, Integer> copiesHeld(List<Integer> volumes) {
        Map<String, Integer> copies = new HashMap<>();
        for (int i : volumes) {
            Store.blobKeys(cluster.volume(i).uri()).forEach(key -> copies.merge(key, 1, Integer::sum));
        }
        return copies;
    }

    /** Waits until each key has {@code each} copies on the four first volumes. */
    private static void awaitCopies(List<String> keys, int each) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        for (long wrong; (wrong = wrongCopies(copiesHeld(FOUR), keys, each)) > 0; ) {
            assertTrue(System.nanoTime() < deadline, wrong + " keys do not have " + each + " copies after " + DEADLINE);
            Server.sleep(500);
        }
    }

    private static long wrongCopies(Map<String, Integer> held, List<String> keys, int each) {
        return keys.stream().filter(key -> held.getOrDefault(key, 0) != each).count();
    }


    /** An answer and how long it took. */
    private record Timed(Reply reply, long millis) {
        static Timed of(java.util.function.Supplier<Reply> call) {
            long start = System.nanoTime();
            Reply reply = call.get();
            return new Timed(reply, (System.nanoTime() - start) / 1_000_000);
        }
    }
}
