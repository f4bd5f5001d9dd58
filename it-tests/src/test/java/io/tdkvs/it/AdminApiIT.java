package io.tdkvs.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
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

import jakarta.json.JsonObject;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.tdkvs.it.support.Admin;
import io.tdkvs.it.support.ArquillianServers;
import io.tdkvs.it.support.Dataset;
import io.tdkvs.it.support.Metrics;
import io.tdkvs.it.support.Readiness;
import io.tdkvs.it.support.Reply;
import io.tdkvs.it.support.Store;
import io.tdkvs.protocol.BlobName;
import io.tdkvs.protocol.VolumeApi;

/**
 * The admin API of a master and three volumes deployed through Arquillian, with a fourth volume running
 * beside them: its token, and volumes added and drained online while writers keep overwriting keys.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AdminApiIT {

    private static final Duration MIGRATION = Duration.ofMinutes(3);
    private static final String AUTH = Admin.bearer(ArquillianServers.ADMIN_TOKEN);

    @Deployment(name = "volume1", order = 1, testable = false)
    @TargetsContainer("admin-volume1")
    static WebArchive volume1() {
        return ArquillianServers.war("volume.war");
    }

    @Deployment(name = "volume2", order = 2, testable = false)
    @TargetsContainer("admin-volume2")
    static WebArchive volume2() {
        return ArquillianServers.war("volume.war");
    }

    @Deployment(name = "volume3", order = 3, testable = false)
    @TargetsContainer("admin-volume3")
    static WebArchive volume3() {
        return ArquillianServers.war("volume.war");
    }

    @Deployment(name = "spare", order = 4, testable = false)
    @TargetsContainer("admin-spare1")
    static WebArchive spare() {
        return ArquillianServers.war("volume.war");
    }

    @Deployment(name = "master", order = 5, testable = false)
    @TargetsContainer("admin-master")
    static WebArchive master() {
        return ArquillianServers.war("master.war");
    }

    @ArquillianResource
    @OperateOnDeployment("master")
    URL deployed;

    @ArquillianResource
    @OperateOnDeployment("spare")
    URL spareDeployed;

    Store master;

    @BeforeEach
    void connect() {
        master = new Store(ArquillianServers.local(deployed));
        Readiness.await(master.uri(), ArquillianServers.local(spareDeployed));
    }

    @Test
    void changesNeedTheAdminTokenAndBadOnesChangeNothing() {
        URI spare = ArquillianServers.local(spareDeployed);
        String before = topology();

        Reply none = Admin.change(master, "volumes", spare, null);
        assertEquals(401, none.status(), none::toString);
        assertTrue(none.header("WWW-Authenticate").startsWith("Bearer"), none::toString);
        assertEquals(401, Admin.change(master, "volumes", spare, "Bearer wrong-token-0123456789").status());
        assertEquals(401, Admin.change(master, "volumes/drain", spare, "Basic " + ArquillianServers.ADMIN_TOKEN).status());
        assertEquals(401, Admin.change(master, "volumes/drain", spare, AUTH + "x").status());

        Reply notJson = Admin.send(master, "volumes", "http://x:1", AUTH);
        assertEquals(400, notJson.status(), notJson::toString);
        Reply notUrl = Admin.send(master, "volumes", "{\"url\": \"ftp://x\"}", AUTH);
        assertEquals(400, notUrl.status(), notUrl::toString);
        assertTrue(notUrl.text().contains("not a volume URL"), notUrl::toString);
        URI member = URI.create(Admin.status(master).getJsonArray("volumes").getJsonObject(0).getString("url"));
        Reply again = Admin.change(master, "volumes", member, AUTH);
        assertEquals(409, again.status(), again::toString);
        Reply unknown = Admin.change(master, "volumes/drain", URI.create("http://127.0.0.1:9"), AUTH);
        assertEquals(404, unknown.status(), unknown::toString);

        assertEquals(before, topology(), "a refused change changed nothing");
    }

    @Test
    void writersOverwritingKeysWhileAVolumeIsAddedAndAnotherDrainedLoseNothing() throws Exception {
        Dataset data = new Dataset("online", 3000);
        data.write(master);
        URI drained = ArquillianServers.uri("admin-volume1");
        URI spare = ArquillianServers.local(spareDeployed);

        Writers writers = new Writers(master, 6, 40);
        Reply add = Admin.change(master, "volumes", spare, AUTH);
        assertEquals(202, add.status(), add::toString);
        JsonObject addDone = Admin.awaitMigration(master, MIGRATION);
        assertEquals("done", Admin.state(addDone), addDone::toString);
        assertEquals(addDone.getJsonNumber("moved").longValue(), (long) Metrics.value(master, "tdkvs_migration_moved"));
        plantOrphan(drained);
        Reply drain = Admin.change(master, "volumes/drain", drained, AUTH);
        assertEquals(202, drain.status(), drain::toString);
        JsonObject drainDone = Admin.awaitMigration(master, MIGRATION);
        assertEquals("done", Admin.state(drainDone), drainDone::toString);
        writers.stop();

        System.out.printf("online add then drain under %d writers: %d overwrites acknowledged, %d reads checked; "
                + "add moved %d keys, drain moved %d%n", 6, writers.writes.get(), writers.reads.get(),
                addDone.getJsonNumber("moved").longValue(), drainDone.getJsonNumber("moved").longValue());
        assertTrue(writers.writes.get() > 0 && addDone.getInt("moved") > 0 && drainDone.getInt("moved") > 0);
        writers.verifyLastAcknowledged(master);
        data.verify(master);
        assertEquals(List.of(), Store.blobKeys(drained), "the drained volume is empty, orphan included");
        int total = 0;
        for (String volume : List.of("admin-volume2", "admin-volume3")) {
            total += Store.blobKeys(ArquillianServers.uri(volume)).size();
        }
        total += Store.blobKeys(spare).size();
        assertEquals(data.size() + writers.keys(), total, "every key on exactly one volume, no leftovers");
        JsonObject status = Admin.status(master);
        assertTrue(status.getBoolean("settled"), status::toString);
        assertEquals(3, status.getJsonArray("volumes").size(), status::toString);
    }

    /** The cluster's volumes as the status shows them, without what changes on its own (answers, blobs). */
    private String topology() {
        JsonObject status = Admin.status(master);
        StringBuilder topology = new StringBuilder("settled=" + status.getBoolean("settled"));
        status.getJsonArray("volumes").getValuesAs(JsonObject.class).forEach(volume -> topology.append(' ')
                .append(volume.getString("url")).append('#').append(volume.getInt("id")).append('/')
                .append(volume.getString("state")).append('@').append(volume.getInt("bucket")));
        return topology.toString();
    }

    /** A blob no metakey points at, as a crash between a copy and its commit leaves one. */
    private static void plantOrphan(URI volume) {
        byte[] key = "orphan".getBytes(StandardCharsets.UTF_8);
        Reply put = Reply.of(Store.client().target(volume).path(VolumeApi.BLOBS + "/" + BlobName.of(key, 1)).request()
                .header(VolumeApi.KEY, VolumeApi.keyHeader(key))
                .put(Entity.entity("left behind".getBytes(StandardCharsets.UTF_8), MediaType.APPLICATION_OCTET_STREAM)));
        assertEquals(201, put.status(), put::toString);
    }

    /**
     * Writers that each own some keys and overwrite them in turn; after each acknowledged write a
     * writer reads another of its keys, which must hold exactly its last acknowledged value.
     */
    private static final class Writers {
        private final int perWriter;
        private final Map<String, byte[]> acknowledged = new ConcurrentHashMap<>();
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final AtomicLong writes = new AtomicLong();
        private final AtomicLong reads = new AtomicLong();
        private final ExecutorService pool;
        private final List<Future<?>> running = new ArrayList<>();

        Writers(Store store, int count, int perWriter) {
            this.perWriter = perWriter;
            this.pool = Executors.newFixedThreadPool(count);
            for (int w = 0; w < count; w++) {
                int writer = w;
                running.add(pool.submit(() -> run(store, writer)));
            }
        }

        private Void run(Store store, int writer) {
            for (int round = 0; !stopped.get(); round++) {
                String key = key(writer, round % perWriter);
                byte[] value = ("writer " + writer + " round " + round + ";").repeat(1 + round % 50).getBytes(StandardCharsets.UTF_8);
                int status = store.put(key, value).status();
                assertTrue(status == 201 || status == 204, key + " answered " + status);
                acknowledged.put(key, value);
                writes.incrementAndGet();
                String other = key(writer, (round * 7 + 3) % perWriter);
                byte[] expected = acknowledged.get(other);
                if (expected != null) {
                    Reply read = store.get(other);
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

        void verifyLastAcknowledged(Store store) {
            acknowledged.forEach((key, value) -> assertArrayEquals(value, store.get(key).body(), key));
        }

        private static String key(int writer, int i) {
            return "writer-" + writer + "/key-" + i;
        }
    }
}
