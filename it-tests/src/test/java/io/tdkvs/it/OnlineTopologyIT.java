package io.tdkvs.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.tdkvs.it.support.Cluster;
import io.tdkvs.it.support.Dataset;
import io.tdkvs.it.support.Kv;

/** Volumes added and drained through the admin API on a running master that keeps serving. */
class OnlineTopologyIT {

    private static final Duration MIGRATION = Duration.ofMinutes(3);

    @Test
    void changesNeedTheAdminTokenAndBadOnesChangeNothing() {
        try (Cluster cluster = Cluster.start("admin-auth", 2)) {
            int extra = cluster.addVolume();
            String before = status(cluster);

            Kv.Answer none = cluster.admin("/admin/volumes", extra, null);
            assertEquals(401, none.status(), none::toString);
            assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), none::toString);
            assertEquals(401, cluster.admin("/admin/volumes", extra, "Bearer wrong-token-0123456789").status());
            assertEquals(401, cluster.admin("/admin/volumes/drain", 0, "Basic " + Cluster.ADMIN_TOKEN).status());
            assertEquals(401, cluster.admin("/admin/volumes/drain", 0, "Bearer " + Cluster.ADMIN_TOKEN + "x").status());

            Kv master = new Kv(cluster.masterUri());
            String auth = "Bearer " + Cluster.ADMIN_TOKEN;
            Kv.Answer notJson = master.send("POST", "/admin/volumes", "http://x:1".getBytes(StandardCharsets.UTF_8), "Authorization", auth);
            assertEquals(400, notJson.status(), notJson::toString);
            Kv.Answer notUrl = master.send("POST", "/admin/volumes", "{\"url\": \"ftp://x\"}".getBytes(StandardCharsets.UTF_8), "Authorization", auth);
            assertEquals(400, notUrl.status(), notUrl::toString);
            assertTrue(notUrl.text().contains("not a volume URL"), notUrl::toString);
            Kv.Answer again = cluster.addOnline(0);
            assertEquals(409, again.status(), again::toString);
            Kv.Answer unknown = master.send("POST", "/admin/volumes/drain", "{\"url\": \"http://127.0.0.1:9\"}".getBytes(StandardCharsets.UTF_8), "Authorization", auth);
            assertEquals(404, unknown.status(), unknown::toString);

            assertEquals(before, status(cluster), "a refused change changed nothing");
        }
    }

    @Test
    void writersOverwritingKeysWhileAVolumeIsAddedAndAnotherDrainedLoseNothing() throws Exception {
        try (Cluster cluster = Cluster.start("online", 3)) {
            Kv kv = new Kv(cluster.masterUri());
            Dataset data = new Dataset("online", 3000);
            data.write(kv);
            int added = cluster.addVolume();

            Writers writers = new Writers(kv, 6, 40);
            Kv.Answer add = cluster.addOnline(added);
            assertEquals(202, add.status(), add::toString);
            String addDone = cluster.awaitMigration(MIGRATION);
            assertTrue(addDone.contains("\"state\":\"done\""), addDone);
            plantOrphan(cluster.volume(0).uri());
            Kv.Answer drain = cluster.drainOnline(0);
            assertEquals(202, drain.status(), drain::toString);
            String drainDone = cluster.awaitMigration(MIGRATION);
            assertTrue(drainDone.contains("\"state\":\"done\""), drainDone);
            writers.stop();

            System.out.printf("online add then drain under %d writers: %d overwrites acknowledged, %d reads checked; "
                    + "add moved %d keys, drain moved %d%n", 6, writers.writes.get(), writers.reads.get(),
                    Cluster.number(addDone, "moved"), Cluster.number(drainDone, "moved"));
            assertTrue(writers.writes.get() > 0 && Cluster.number(addDone, "moved") > 0 && Cluster.number(drainDone, "moved") > 0);
            writers.verifyLastAcknowledged(kv);
            data.verify(kv);
            assertEquals(List.of(), Kv.blobKeys(cluster.volume(0).uri()), "the drained volume is empty, orphan included");
            int total = 0;
            for (int i = 1; i <= added; i++) {
                total += Kv.blobKeys(cluster.volume(i).uri()).size();
            }
            assertEquals(data.size() + writers.keys(), total, "every key on exactly one volume, no leftovers");

            cluster.listVolumes(List.of(1, 2, added));
            cluster.restartMaster();
            writers.verifyLastAcknowledged(kv);
            data.verify(kv);
        }
    }

    /** A blob no metakey points at, as a crash between a copy and its commit leaves one. */
    private static void plantOrphan(java.net.URI volume) throws Exception {
        byte[] key = "orphan".getBytes(StandardCharsets.UTF_8);
        String name = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(key))
                + ".0000000000000001";
        Kv.Answer put = new Kv(volume).send("PUT", "/blobs/" + name, "left behind".getBytes(StandardCharsets.UTF_8),
                "Tdkvs-Key", java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(key));
        assertEquals(201, put.status(), put::toString);
    }

    private static String status(Cluster cluster) {
        return new Kv(cluster.masterUri()).send("GET", "/admin/status", null).text();
    }

    /**
     * Writers that each own some keys and overwrite them in turn; after each acknowledged write a
     * writer reads another of its keys, which must hold exactly its last acknowledged value.
     */
    private static final class Writers {
        private final int perWriter;
        private final int count;
        private final Map<String, byte[]> acknowledged = new ConcurrentHashMap<>();
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final AtomicLong writes = new AtomicLong();
        private final AtomicLong reads = new AtomicLong();
        private final ExecutorService pool;
        private final List<Future<?>> running = new ArrayList<>();

        Writers(Kv kv, int count, int perWriter) {
            this.count = count;
            this.perWriter = perWriter;
            this.pool = Executors.newFixedThreadPool(count);
            for (int w = 0; w < count; w++) {
                int writer = w;
                running.add(pool.submit(() -> run(kv, writer)));
            }
        }

        private Void run(Kv kv, int writer) {
            for (int round = 0; !stopped.get(); round++) {
                String key = key(writer, round % perWriter);
                byte[] value = ("writer " + writer + " round " + round + ";").repeat(1 + round % 50).getBytes(StandardCharsets.UTF_8);
                int status = kv.put(key, value).status();
                assertTrue(status == 201 || status == 204, key + " answered " + status);
                acknowledged.put(key, value);
                writes.incrementAndGet();
                String other = key(writer, (round * 7 + 3) % perWriter);
                byte[] expected = acknowledged.get(other);
                if (expected != null) {
                    Kv.Answer read = kv.get(other);
                    assertEquals(200, read.status(), () -> other + ": " + read);
                    assertArrayEquals(expected, read.body(), other + " does not hold its last acknowledged value");
                    reads.incrementAndGet();
                }
            }
            return null;
        }

        void stop() throws Exception {
            stopped.set(true);
            for (Future<?> writer : running) {
                writer.get();
            }
            pool.shutdown();
        }

        int keys() {
            return acknowledged.size();
        }

        void verifyLastAcknowledged(Kv kv) {
            acknowledged.forEach((key, value) -> assertArrayEquals(value, kv.get(key).body(), key));
        }

        private static String key(int writer, int i) {
            return "writer-" + writer + "/key-" + i;
        }
    }
}
