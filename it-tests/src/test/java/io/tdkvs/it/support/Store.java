package io.tdkvs.it.support;

import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.MediaType;

import io.tdkvs.protocol.BlobInfo;
import io.tdkvs.protocol.BlobName;
import io.tdkvs.protocol.VolumeApi;

/**
 * A tdkvs server through the Jakarta REST client (Jersey's), as a Java client of the store uses it:
 * {@code PUT /set/<key>}, {@code GET|HEAD /get/<key>}, {@code DELETE /delete/<key>}, and any other request.
 * Keys go into paths percent-encoded, every byte but unreserved characters and {@code /}.
 */
public final class Store {

    private static final Client CLIENT = ClientBuilder.newBuilder()
            .connectTimeout(5, TimeUnit.SECONDS)
            .readTimeout(2, TimeUnit.MINUTES)
            .register(new ClusterSecret.Signer())
            .build();

    private final URI base;
    private final WebTarget target;

    public Store(URI base) {
        this.base = base;
        this.target = CLIENT.target(base);
    }

    /** The one client of the suite: JAX-RS clients are heavy, and safe to share. */
    public static Client client() {
        return CLIENT;
    }

    public WebTarget target() {
        return target;
    }

    public URI uri() {
        return base;
    }

    /** {@code /<endpoint>/<key>}. */
    public WebTarget key(String endpoint, String key) {
        return target.path(endpoint + "/" + encode(key, true));
    }

    public Reply put(String key, byte[] value) {
        return Reply.of(key("set", key).request().put(Entity.entity(value, MediaType.APPLICATION_OCTET_STREAM)));
    }

    public Reply get(String key) {
        return Reply.of(key("get", key).request().get());
    }

    public Reply head(String key) {
        return Reply.of(key("get", key).request().head());
    }

    public Reply delete(String key) {
        return Reply.of(key("delete", key).request().delete());
    }

    /**
     * Any request; {@code rawTarget} is the path and query as sent, already encoded; headers are given as
     * name, value, name, value, ...
     */
    public Reply send(String method, String rawTarget, byte[] body, String... headers) {
        Invocation.Builder request = CLIENT.target(base + rawTarget).request();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return Reply.of(body == null ? request.method(method)
                : request.method(method, Entity.entity(body, MediaType.APPLICATION_OCTET_STREAM)));
    }

    /** A JSON answer of {@code GET <path>}, such as {@code /admin/status}. */
    public JsonObject json(String path) {
        Reply reply = Reply.of(target.path(path).request(MediaType.APPLICATION_JSON).get());
        if (reply.status() != 200) {
            throw new AssertionError("GET " + path + " answered " + reply);
        }
        return Json.createReader(new StringReader(reply.text())).readObject();
    }

    /** The keys of the blobs a volume holds, from its listing. */
    public static List<String> blobKeys(URI volume) {
        List<String> keys = new ArrayList<>();
        Reply listing = Reply.of(CLIENT.target(volume).path(VolumeApi.BLOBS).request().get());
        for (String line : listing.text().split("\n")) {
            if (!line.isBlank()) {
                keys.add(new String(BlobInfo.parse(line).key(), StandardCharsets.UTF_8));
            }
        }
        return keys;
    }

    /**
     * Puts a blob of {@code key} and {@code generation} on a volume directly, as a write that never
     * committed, or a copy left behind, leaves it; answers the volume's reply.
     */
    public static Reply plantBlob(URI volume, String key, long generation, byte[] value) {
        byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
        return Reply.of(CLIENT.target(volume).path(VolumeApi.BLOBS + "/" + BlobName.of(utf8, generation).value()).request()
                .header(VolumeApi.KEY, VolumeApi.keyHeader(utf8)).put(Entity.entity(value, MediaType.APPLICATION_OCTET_STREAM)));
    }

    /** Whether a volume holds the blob of {@code key} and {@code generation}. */
    public static boolean holdsBlob(URI volume, String key, long generation) {
        BlobName name = BlobName.of(key.getBytes(StandardCharsets.UTF_8), generation);
        return Reply.of(CLIENT.target(volume).path(VolumeApi.BLOBS + "/" + name.value()).request().head()).status() == 200;
    }

    /** The volume, of {@code volumes}, that holds a blob of {@code key}, by their listings. */
    public static URI holder(String key, List<URI> volumes) {
        return volumes.stream().filter(volume -> blobKeys(volume).contains(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume holds a blob of " + key));
    }

    /** The value a volume holds for {@code key}, read from it directly; fails unless it answers 200. */
    public static byte[] blobValue(String key, URI volume) {
        BlobInfo blob = blobInfo(key, volume);
        Reply value = Reply.of(CLIENT.target(volume).path(VolumeApi.BLOBS + "/" + blob.name()).request().get());
        if (value.status() != 200) {
            throw new AssertionError(volume + " answered " + value + " for the blob of " + key);
        }
        return value.body();
    }

    /**
     * The file in which a volume keeps the value of {@code key}, by its listing and the folder it
     * reports in its status; the servers run on this machine.
     */
    public static Path blobFile(String key, URI volume) {
        String folder = new Store(volume).json(VolumeApi.STATUS).getString("path");
        return Path.of(folder, "blobs").resolve(blobInfo(key, volume).name().relativePath());
    }

    /** What a volume's listing says of its blob of {@code key}. */
    private static BlobInfo blobInfo(String key, URI volume) {
        Reply listing = Reply.of(CLIENT.target(volume).path(VolumeApi.BLOBS).request().get());
        for (String line : listing.text().split("\n")) {
            if (!line.isBlank() && new String(BlobInfo.parse(line).key(), StandardCharsets.UTF_8).equals(key)) {
                return BlobInfo.parse(line);
            }
        }
        throw new AssertionError(volume + " holds no blob of " + key);
    }

    /** Percent-encodes everything but unreserved characters (and '/', in a path). */
    public static String encode(String key, boolean keepSlash) {
        StringBuilder out = new StringBuilder();
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '/' && keepSlash) {
                out.append((char) c);
            } else {
                out.append(String.format("%%%02X", c));
            }
        }
        return out.toString();
    }
}
