package io.tdkvs.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32C;

import jakarta.json.JsonObject;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.MediaType;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.tdkvs.it.support.ArquillianServers;
import io.tdkvs.it.support.ClusterSecret;
import io.tdkvs.it.support.RawHttp;
import io.tdkvs.it.support.Readiness;
import io.tdkvs.it.support.Reply;
import io.tdkvs.it.support.Store;
import io.tdkvs.protocol.BlobFile;
import io.tdkvs.protocol.BlobInfo;
import io.tdkvs.protocol.BlobName;
import io.tdkvs.protocol.ClusterSignature;
import io.tdkvs.protocol.Imported;
import io.tdkvs.protocol.NameList;
import io.tdkvs.protocol.VolumeApi;

/** The volume's HTTP API, which the master uses, on the volume WAR deployed by Arquillian. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class VolumeApiIT {

    @Deployment(testable = false)
    @TargetsContainer("solo-volume1")
    static WebArchive volumeWar() {
        return ArquillianServers.war("volume.war");
    }

    @ArquillianResource
    URL deployed;

    Store volume;

    @BeforeEach
    void connect() {
        volume = new Store(ArquillianServers.local(deployed));
        Readiness.await(volume.uri());
    }

    @Test
    void storesAndServesABlobUnderItsNameWithTheKeySentAlong() {
        String key = "volume-api/" + UUID.randomUUID() + "/ü?#";
        BlobName name = BlobName.of(utf8(key), 1);
        byte[] value = utf8("a value\u0000with binary");
        Reply put = put(name, key, value);
        assertEquals(201, put.status(), put::toString);
        assertEquals(String.valueOf(value.length), put.header(VolumeApi.SIZE));
        Reply get = Reply.of(blob(name).request().get());
        assertEquals(200, get.status());
        assertArrayEquals(value, get.body());
        assertEquals(VolumeApi.crc32cHeader(crc32c(value)), get.header(VolumeApi.CRC32C));
        assertTrue(Store.blobKeys(volume.uri()).contains(key), "the listing names the key");
        assertEquals(204, Reply.of(blob(name).request().delete()).status());
        assertEquals(404, Reply.of(blob(name).request().get()).status());
        assertEquals(404, Reply.of(blob(name).request().delete()).status());
    }

    @Test
    void servesASingleRangeOfAValue() {
        String key = "volume-range/" + UUID.randomUUID();
        BlobName name = BlobName.of(utf8(key), 1);
        put(name, key, utf8("0123456789"));
        Reply part = Reply.of(blob(name).request().header("Range", "bytes=2-4").get());
        assertEquals(206, part.status(), part::toString);
        assertEquals("234", part.text());
        assertEquals("bytes 2-4/10", part.header("Content-Range"));
        assertEquals(416, Reply.of(blob(name).request().header("Range", "bytes=10-").get()).status());
    }

    @Test
    void exportsBlobsAsFramesThatImportStoresAndDeletesThemInABatch() {
        String key = "volume-batch/" + UUID.randomUUID();
        BlobName name = BlobName.of(utf8(key), 1);
        BlobName missing = BlobName.of(utf8(key + "/missing"), 1);
        put(name, key, utf8("moved as stored"));
        byte[] frames = Reply.of(batch(VolumeApi.EXPORT).request()
                .post(Entity.entity(NameList.format(List.of(name, missing)), MediaType.TEXT_PLAIN))).body();
        Reply deleted = Reply.of(batch(VolumeApi.DELETE).request()
                .post(Entity.entity(NameList.format(List.of(name, name)), MediaType.TEXT_PLAIN)));
        assertEquals(1, NameList.parseDeleted(deleted.text()), "a name given twice is one blob");

        Reply imported = Reply.of(batch(VolumeApi.IMPORT).request().post(Entity.entity(frames, MediaType.APPLICATION_OCTET_STREAM)));
        assertEquals(200, imported.status(), imported::toString);
        assertEquals(List.of(Imported.stored(name, 15, crc32c(utf8("moved as stored"))), Imported.absent(missing)),
                imported.text().lines().map(Imported::parse).toList());
        assertEquals("moved as stored", Reply.of(blob(name).request().get()).text());
        long imports = System.currentTimeMillis();
        BlobInfo listed = volume.target().path(VolumeApi.BLOBS).request().get(String.class).lines().map(BlobInfo::parse)
                .filter(blob -> blob.name().equals(name)).findFirst().orElseThrow();
        assertEquals(new BlobInfo(name, 15, crc32c(utf8("moved as stored")), utf8(key), listed.modified()), listed);
        assertTrue(Math.abs(listed.modified() - imports) < 60_000, "the listing gives the time the import wrote the file: " + listed);
    }

    @ParameterizedTest(name = "{0} {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "PUT | /blobs/not-a-name        | Tdkvs-Key: a2V5 | 400 | is not a blob name",
            "GET | /blobs/..%2Fstatus       |                 | 400 | is not a blob name",
            "PUT | /blobs/NAME_OF_KEY       |                 | 400 | the Tdkvs-Key header is required",
            "PUT | /blobs/NAME_OF_KEY       | Tdkvs-Key: !!!  | 400 | is not base64url",
            "PUT | /blobs/NAME_OF_KEY       | Tdkvs-Key: b3RoZXI | 400 | is not derived from the key",
            "POST | /blobs/import           |                 | 400 | does not begin with a blob name",
            "POST | /status                 |                 | 405 | /status does not take this method; it takes GET"})
    void refusesWhatIsNotABlobWithAReason(String method, String target, String header, int status, String message) {
        String path = target.replace("NAME_OF_KEY", BlobName.of(utf8("key"), 1).value());
        byte[] body = method.equals("GET") ? null : "x".repeat(120).getBytes(StandardCharsets.US_ASCII);
        Reply answer = header == null ? RawHttp.send(volume.uri(), method, path, body)
                : RawHttp.send(volume.uri(), method, path, body, header);
        assertEquals(status, answer.status(), answer::toString);
        assertTrue(answer.text().contains(message), answer::toString);
    }

    /**
     * A byte flipped in a stored value: the volume's scrub (8 MiB/s by default, a pass at least every
     * 10 s) finds it and the status names it; a read answers 500 with the reason; a delete clears it.
     */
    @Test
    void theScrubFindsADamagedBlobAndTheStatusNamesIt() throws Exception {
        String key = "volume-scrub/" + UUID.randomUUID();
        BlobName name = BlobName.of(utf8(key), 1);
        byte[] value = new byte[5000];
        assertEquals(201, put(name, key, value).status());
        Path file = Path.of(volume.json(VolumeApi.STATUS).getString("path"), "blobs").resolve(name.relativePath());
        byte[] stored = Files.readAllBytes(file);
        stored[stored.length - BlobFile.TRAILER_BYTES - 1] ^= 0x01;
        Files.write(file, stored);

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!volume.json(VolumeApi.STATUS).getJsonArray("damaged").toString().contains(name.value())) {
            assertTrue(System.nanoTime() < deadline, "the scrub did not report " + name + " within 60 s");
            Thread.sleep(200);
        }
        JsonObject status = volume.json(VolumeApi.STATUS);
        assertTrue(status.getJsonNumber("damagedBlobs").longValue() >= 1, status::toString);
        JsonObject scrub = status.getJsonObject("scrub");
        assertEquals(8L << 20, scrub.getJsonNumber("rate").longValue(), scrub::toString);
        assertTrue(scrub.getJsonNumber("blobs").longValue() >= 1, scrub::toString);

        Reply get = Reply.of(blob(name).request().get());
        assertEquals(500, get.status(), get::toString);
        assertTrue(get.text().contains("is damaged: the value does not match its CRC32C"), get::toString);
        assertEquals(204, Reply.of(blob(name).request().delete()).status());
        assertTrue(!volume.json(VolumeApi.STATUS).getJsonArray("damaged").toString().contains(name.value()));
    }

    @Test
    void reportsItsStatus() {
        JsonObject status = volume.json(VolumeApi.STATUS);
        assertTrue(status.getJsonNumber("usableBytes").longValue() > 0, status::toString);
        assertTrue(status.containsKey("blobs") && status.containsKey("path"), status::toString);
    }

    /**
     * The volume takes only requests its cluster's master signed: one unsigned, signed with another
     * secret, signed minutes ago, or replayed is 401 with the reason, and changes nothing; the signed
     * request goes through once; {@code /health} stays open.
     */
    @Test
    void onlyRequestsSignedWithTheClusterSecretAreTaken() {
        String key = "signed/" + UUID.randomUUID();
        BlobName name = BlobName.of(utf8(key), 1);
        byte[] value = utf8("the cluster's own value");
        assertEquals(201, put(name, key, value).status());
        String path = volume.uri().getRawPath().replaceFirst("/$", "") + "/" + VolumeApi.BLOBS + "/" + name;
        Client stranger = ClientBuilder.newClient();
        try {
            WebTarget target = stranger.target(volume.uri()).path(VolumeApi.BLOBS + "/" + name);

            Reply unsigned = Reply.of(target.request().delete());
            assertEquals(401, unsigned.status(), unsigned::toString);
            assertTrue(unsigned.text().contains("the request is not signed"), unsigned::toString);
            Reply overwrite = Reply.of(target.request().header(VolumeApi.KEY, VolumeApi.keyHeader(utf8(key)))
                    .put(Entity.entity(utf8("a stranger's value"), MediaType.APPLICATION_OCTET_STREAM)));
            assertEquals(401, overwrite.status(), overwrite::toString);
            assertEquals(401, Reply.of(stranger.target(volume.uri()).path(VolumeApi.BLOBS).request().get()).status(), "listing");
            assertEquals(401, Reply.of(target.request().get()).status(), "reading");

            String forged = new ClusterSignature("not-the-cluster-secret-0123").sign("DELETE", path);
            Reply forgery = Reply.of(target.request().header(ClusterSignature.HEADER, forged).delete());
            assertEquals(401, forgery.status(), forgery::toString);
            assertTrue(forgery.text().contains("does not match"), forgery::toString);

            String old = ClusterSecret.SIGNATURE.sign("DELETE", path, System.currentTimeMillis() - 5 * 60_000, "0123456789abcdef");
            Reply stale = Reply.of(target.request().header(ClusterSignature.HEADER, old).delete());
            assertEquals(401, stale.status(), stale::toString);
            assertTrue(stale.text().contains("too old"), stale::toString);

            Reply kept = Reply.of(blob(name).request().get());
            assertEquals(200, kept.status(), kept::toString);
            assertArrayEquals(value, kept.body(), "nothing a stranger sent changed the blob");

            String once = ClusterSecret.sign("DELETE", path);
            assertEquals(204, Reply.of(target.request().header(ClusterSignature.HEADER, once).delete()).status(), "signed: taken");
            assertEquals(201, put(name, key, value).status());
            Reply replayed = Reply.of(target.request().header(ClusterSignature.HEADER, once).delete());
            assertEquals(401, replayed.status(), replayed::toString);
            assertTrue(replayed.text().contains("used before"), replayed::toString);
            assertArrayEquals(value, Reply.of(blob(name).request().get()).body(), "the replay deleted nothing");

            assertEquals(200, Reply.of(stranger.target(volume.uri()).path("health/ready").request().get()).status(), "health is open");
        } finally {
            stranger.close();
        }
    }

    private Reply put(BlobName name, String key, byte[] value) {
        return Reply.of(blob(name).request().header(VolumeApi.KEY, VolumeApi.keyHeader(utf8(key)))
                .put(Entity.entity(value, MediaType.APPLICATION_OCTET_STREAM)));
    }

    private WebTarget blob(BlobName name) {
        return volume.target().path(VolumeApi.BLOBS + "/" + name);
    }

    private WebTarget batch(String endpoint) {
        return volume.target().path(VolumeApi.BLOBS + "/" + endpoint);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static int crc32c(byte[] value) {
        CRC32C crc = new CRC32C();
        crc.update(value);
        return (int) crc.getValue();
    }
}
