package io.tdkvs.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.tdkvs.it.support.Environment;
import io.tdkvs.it.support.Kv;
import io.tdkvs.it.support.RawHttp;

/** The volume's HTTP API, which the master uses, on the built volume WAR deployed by Arquillian. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class VolumeApiIT {

    @ArquillianResource
    URL deployed;

    @Deployment(testable = false)
    static WebArchive volumeWar() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(Environment.target().toFile(), "volume.war"));
    }

    @Test
    void storesAndServesABlobUnderItsNameWithTheKeySentAlong() throws Exception {
        String key = "volume-api/" + UUID.randomUUID() + "/ü?#";
        String name = name(key, 1);
        byte[] value = "a value\u0000with binary".getBytes(StandardCharsets.UTF_8);
        Kv.Answer put = RawHttp.send(volume(), "PUT", "/blobs/" + name, value, "Tdkvs-Key: " + base64(key));
        assertEquals(201, put.status(), put::toString);
        Kv.Answer get = new Kv(volume()).send("GET", "/blobs/" + name, null);
        assertEquals(200, get.status());
        assertArrayEquals(value, get.body());
        assertEquals(String.format("%08x", crc32c(value)), get.headers().firstValue("Tdkvs-Crc32c").orElseThrow());
        assertTrue(Kv.blobKeys(volume()).contains(key), "the listing names the key");
        assertEquals(204, new Kv(volume()).send("DELETE", "/blobs/" + name, null).status());
        assertEquals(404, new Kv(volume()).send("GET", "/blobs/" + name, null).status());
        assertEquals(404, new Kv(volume()).send("DELETE", "/blobs/" + name, null).status());
    }

    @ParameterizedTest(name = "{0} {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "PUT | /blobs/not-a-name        | Tdkvs-Key: a2V5 | 400 | is not a blob name",
            "GET | /blobs/..%2Fstatus       |                 | 400 | is not a blob name",
            "PUT | /blobs/NAME_OF_KEY       |                 | 400 | the Tdkvs-Key header is required",
            "PUT | /blobs/NAME_OF_KEY       | Tdkvs-Key: !!!  | 400 | is not base64url",
            "PUT | /blobs/NAME_OF_KEY       | Tdkvs-Key: b3RoZXI | 400 | is not derived from the key"})
    void refusesWhatIsNotABlobWithAReason(String method, String target, String header, int status, String message) throws Exception {
        String path = target.replace("NAME_OF_KEY", name("key", 1));
        Kv.Answer answer = header == null
                ? RawHttp.send(volume(), method, path, method.equals("PUT") ? new byte[1] : null)
                : RawHttp.send(volume(), method, path, new byte[1], header);
        assertEquals(status, answer.status(), answer::toString);
        assertTrue(answer.text().contains(message), answer::toString);
    }

    @Test
    void reportsItsStatus() {
        Kv.Answer status = new Kv(volume()).send("GET", "/status", null);
        assertEquals(200, status.status());
        assertTrue(status.text().contains("\"usableBytes\""), status::toString);
    }

    /** Arquillian names the machine's first address; everything we run is reached on 127.0.0.1. */
    private URI volume() {
        return URI.create("http://127.0.0.1:" + deployed.getPort());
    }

    private static String name(String key, long generation) throws Exception {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(hash) + "." + String.format("%016x", generation);
    }

    private static String base64(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    private static int crc32c(byte[] value) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(value);
        return (int) crc.getValue();
    }
}
