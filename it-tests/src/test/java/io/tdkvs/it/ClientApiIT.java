package io.tdkvs.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.glassfish.jersey.client.ClientProperties;
import org.glassfish.jersey.client.RequestEntityProcessing;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import io.tdkvs.it.support.ArquillianServers;
import io.tdkvs.it.support.Metrics;
import io.tdkvs.it.support.RawHttp;
import io.tdkvs.it.support.Readiness;
import io.tdkvs.it.support.Reply;
import io.tdkvs.it.support.Store;
import io.tdkvs.protocol.BlobFile;

/**
 * The client API table of docs/client-api.md, against the master and three volumes deployed through Arquillian.
 * Each test uses keys of its own.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ClientApiIT {

    static final String[] VOLUMES = {"client-volume1", "client-volume2", "client-volume3"};

    @Deployment(name = "volume1", order = 1, testable = false)
    @TargetsContainer("client-volume1")
    static WebArchive volume1() {
        return ArquillianServers.war("volume.war");
    }

    @Deployment(name = "volume2", order = 2, testable = false)
    @TargetsContainer("client-volume2")
    static WebArchive volume2() {
        return ArquillianServers.war("volume.war");
    }

    @Deployment(name = "volume3", order = 3, testable = false)
    @TargetsContainer("client-volume3")
    static WebArchive volume3() {
        return ArquillianServers.war("volume.war");
    }

    @Deployment(name = "master", order = 4, testable = false)
    @TargetsContainer("client-master")
    static WebArchive master() {
        return ArquillianServers.war("master.war");
    }

    @ArquillianResource
    @OperateOnDeployment("master")
    URL deployed;

    Store store;

    @BeforeEach
    void connect() {
        store = new Store(ArquillianServers.local(deployed));
        Readiness.await(store.uri());
    }

    @Test
    void putAnswers201ForANewKeyAnd204ForAReplacedOne() {
        String key = unique("put");
        Reply created = store.put(key, bytes("one"));
        assertEquals(201, created.status(), created::toString);
        assertEquals(store.uri() + "/get/" + key, created.header("Location"));
        assertEquals(204, store.put(key, bytes("two")).status());
        assertEquals("two", store.get(key).text());
    }

    @Test
    void getAnswersTheExactBytesWithTheirLength() {
        String key = unique("binary");
        byte[] value = new byte[1 << 20];
        new Random(7).nextBytes(value);
        for (int b = 0; b < 256; b++) {
            value[b] = (byte) b;
        }
        assertEquals(201, store.put(key, value).status());
        Reply answer = store.get(key);
        assertEquals(200, answer.status());
        assertArrayEquals(value, answer.body());
        assertEquals(String.valueOf(value.length), answer.header("Content-Length"));
        assertEquals("application/octet-stream", answer.header("Content-Type"));
        assertEquals("bytes", answer.header("Accept-Ranges"));
    }

    @Test
    void anEmptyValueIsAValue() {
        String key = unique("empty");
        assertEquals(201, store.put(key, new byte[0]).status());
        Reply answer = store.get(key);
        assertEquals(200, answer.status());
        assertEquals(0, answer.body().length);
        assertEquals("0", store.head(key).header("Content-Length"));
    }

    @Test
    void aSixteenMiBValueRoundTrips() {
        String key = unique("16MiB");
        byte[] value = new byte[16 << 20];
        new Random(16).nextBytes(value);
        assertEquals(201, store.put(key, value).status());
        assertArrayEquals(value, store.get(key).body());
    }

    @Test
    void overwriteWithAShorterValueLeavesNoTail() {
        String key = unique("overwrite");
        store.put(key, bytes("hello world, a long value"));
        assertEquals(204, store.put(key, bytes("short")).status());
        assertEquals("short", store.get(key).text());
    }

    @Test
    void headAnswersTheLengthWithoutABody() {
        String key = unique("head");
        store.put(key, bytes("12345"));
        Reply answer = store.head(key);
        assertEquals(200, answer.status());
        assertEquals("5", answer.header("Content-Length"));
        assertEquals(0, answer.body().length);
    }

    @Test
    void anAbsentKeyAnswers404ToGetHeadAndDelete() {
        String key = unique("absent");
        Reply get = store.get(key);
        assertEquals(404, get.status());
        assertTrue(get.text().contains("no such key"), get::toString);
        assertEquals(404, store.head(key).status());
        assertEquals(404, store.delete(key).status());
    }

    @Test
    void deleteAnswers204AndTheKeyIsGone() {
        String key = unique("delete");
        store.put(key, bytes("v"));
        assertEquals(204, store.delete(key).status());
        assertEquals(404, store.get(key).status());
        assertEquals(201, store.put(key, bytes("again")).status());
    }

    @ParameterizedTest(name = "Range: {0} -> {1} {2}")
    @CsvSource(delimiter = '|', value = {
            "bytes=0-4        | 206 | 01234                | bytes 0-4/26",
            "bytes=20-        | 206 | klmnop               | bytes 20-25/26",
            "bytes=-3         | 206 | nop                  | bytes 23-25/26",
            "bytes=24-99      | 206 | op                   | bytes 24-25/26",
            "bytes=26-        | 416 | outside the value    | bytes */26",
            "bytes=0-1,4-5    | 200 | 0123456789abcdefghijklmnop | ",
            "pages=1-2        | 200 | 0123456789abcdefghijklmnop | "})
    void aSingleByteRangeIsServedAndAnyOtherGetsTheWholeValue(String range, int status, String body, String contentRange) {
        String key = unique("range");
        store.put(key, bytes("0123456789abcdefghijklmnop"));
        Reply answer = Reply.of(store.key("get", key).request().header("Range", range).get());
        assertEquals(status, answer.status(), answer::toString);
        assertTrue(answer.text().contains(body), answer::toString);
        assertEquals(contentRange, answer.header("Content-Range"));
    }

    /** The README's example, as a Java client writes it: stream a value in, stream it out, 404 as an exception. */
    @Test
    void aValueStreamsInAndOutThroughTheJaxRsClientAsTheReadmeShows() throws Exception {
        WebTarget tdkvs = ClientBuilder.newClient().target(store.uri());
        String key = "photos/" + UUID.randomUUID() + "/cat.jpg";
        byte[] photo = new byte[3 << 20];
        new Random(3).nextBytes(photo);

        try (InputStream file = new ByteArrayInputStream(photo);
             Response put = tdkvs.path("set/" + key).request()
                     .property(ClientProperties.REQUEST_ENTITY_PROCESSING, RequestEntityProcessing.CHUNKED)
                     .put(Entity.entity(file, MediaType.APPLICATION_OCTET_STREAM))) {
            assertEquals(201, put.getStatus());
        }
        try (InputStream value = tdkvs.path("get/" + key).request().get(InputStream.class)) {
            assertArrayEquals(photo, value.readAllBytes());
        }
        try (Response deleted = tdkvs.path("delete/" + key).request().delete()) {
            assertEquals(204, deleted.getStatus());
        }
        NotFoundException absent = assertThrows(NotFoundException.class, () -> tdkvs.path("get/" + key).request().get(byte[].class));
        assertEquals("no such key: " + key + "\n", absent.getResponse().readEntity(String.class));
    }

    @Test
    void keysAreListedByPrefixInOrderAPageAtATime() {
        String prefix = unique("list") + "dir/";
        List<String> keys = new ArrayList<>();
        for (String name : List.of("b", "a", "c/1", "c/2", "é", "z")) {
            keys.add(prefix + name);
            assertEquals(201, store.put(prefix + name, bytes(name)).status());
        }
        store.put(prefix.substring(0, prefix.length() - 1), bytes("not under the prefix"));
        List<String> listed = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            WebTarget page = store.target().path("list/" + Store.encode(prefix, true)).queryParam("limit", 4);
            JsonObject json = (after == null ? page : page.queryParam("after", Store.encode(after, false)))
                    .request().get(JsonObject.class);
            json.getJsonArray("keys").getValuesAs(JsonString.class).forEach(k -> listed.add(k.getString()));
            after = json.containsKey("next") ? json.getString("next") : null;
            pages++;
        } while (after != null);
        assertEquals(keys.stream().sorted((x, y) -> Arrays.compareUnsigned(bytes(x), bytes(y))).toList(), listed);
        assertEquals(2, pages);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "/list?limit=0        | 400 | not a number of keys",
            "/list?limit=-3       | 400 | not a number of keys",
            "/list?limit=ten      | 400 | not a number of keys",
            "/list?prefix=a%ZZ    | 400 | malformed percent-escape",
            "/list/a?prefix=b     | 400 | not both",
            "/list?limit=99999    | 200 | \"keys\"",
            "/list/no-such-prefix | 200 | {\"keys\":[]}"})
    void aListingAnswersItsStatusCodes(String target, int status, String message) {
        Reply answer = RawHttp.send(store.uri(), "GET", target, null);
        assertEquals(status, answer.status(), answer::toString);
        assertTrue(answer.text().contains(message), answer::toString);
    }

    static Stream<String> hostileKeys() {
        return Stream.of("a/b/c", "/leading", "trailing/", "a//b", "100%", "what?", "#hash", "sp ace", "tab\tbed",
                "café", "日本語", "emoji😀", "a;b", "1+1", "~tilde", "quotes'\"", "<>{}|^`[]", "%2F", "..", "a/../b",
                "x".repeat(4096));
    }

    @ParameterizedTest
    @MethodSource("hostileKeys")
    void hostileKeysRoundTripAndAreStoredUnderTheirOwnName(String hostile) {
        String key = unique("hostile") + hostile;
        byte[] value = bytes("value of " + key);
        assertEquals(201, store.put(key, value).status(), () -> store.get(key).toString());
        assertArrayEquals(value, store.get(key).body());
        long holders = Stream.of(VOLUMES).filter(volume -> Store.blobKeys(ArquillianServers.uri(volume)).contains(key)).count();
        assertEquals(1, holders, "exactly one volume holds the key, under its exact name");
        assertEquals(204, store.delete(key).status());
    }

    static Stream<Arguments> keysOnlyTheQueryCarries() {
        return Stream.of(Arguments.of("nul\u0000byte"), Arguments.of("../../climbs"), Arguments.of("back\\slash"),
                Arguments.of("a/./b"), Arguments.of("sp ace+plus"));
    }

    @ParameterizedTest
    @MethodSource("keysOnlyTheQueryCarries")
    void keysAPathCannotCarryWorkAsAQueryParameter(String hostile) {
        String key = unique("query") + hostile;
        String query = "?key=" + Store.encode(key, false);
        byte[] value = bytes("value of " + key);
        assertEquals(201, store.send("PUT", "/set" + query, value).status());
        assertArrayEquals(value, store.send("GET", "/get" + query, null).body());
        assertEquals(String.valueOf(value.length), store.send("HEAD", "/get" + query, null).header("Content-Length"));
        assertEquals(204, store.send("DELETE", "/delete" + query, null).status());
        assertEquals(404, store.send("GET", "/get" + query, null).status());
    }

    @ParameterizedTest
    @MethodSource("keysOnlyTheQueryCarries")
    void keysPayaraWouldRefuseWorkInThePathToo(String hostile) {
        String key = unique("path") + hostile;
        String target = Store.encode(key, true);
        byte[] value = bytes("value of " + key);
        Reply put = RawHttp.send(store.uri(), "PUT", "/set/" + target, value);
        assertEquals(201, put.status(), put::toString);
        assertArrayEquals(value, RawHttp.send(store.uri(), "GET", "/get/" + target, null).body());
        assertArrayEquals(value, store.send("GET", "/get?key=" + Store.encode(key, false), null).body(), "the same key either way");
        assertEquals(204, RawHttp.send(store.uri(), "DELETE", "/delete/" + target, null).status());
    }

    /** Requests a well-behaved client would not send, or sends differently: written byte for byte. */
    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "GET    | /get/               | 400 | no key",
            "GET    | /get                | 400 | no key",
            "GET    | /get?key=           | 400 | the key is empty",
            "GET    | /get?key=a%ZZ       | 400 | malformed percent-escape",
            "PUT    | /set?key=bad%2      | 400 | malformed percent-escape",
            "PUT    | /set/bad%2          | 400 | malformed percent-escape",
            "GET    | /get/bad%zz         | 400 | malformed percent-escape",
            "GET    | /get/%FF            | 400 | not valid UTF-8",
            "GET    | /nothing%2          | 400 | malformed percent-escape",
            "GET    | /get?key=%FF        | 400 | not valid UTF-8",
            "GET    | /get?key=a&key=b    | 400 | more than once",
            "GET    | /get/a?key=b        | 400 | not both",
            "PUT    | /set?key=LONG       | 414 | the limit is 8192 bytes",
            "POST   | /set/x              | 405 | POST /set/x is not allowed; it takes OPTIONS,PUT",
            "DELETE | /get/x              | 405 | DELETE /get/x is not allowed; it takes",
            "POST   | /admin/status       | 405 | POST /admin/status is not allowed; it takes GET",
            "GET    | /admin/volumes      | 405 | GET /admin/volumes is not allowed; it takes POST",
            "GET    | /nothing            | 404 | no such endpoint"})
    void badRequestsAnswer4xxWithAMessage(String method, String target, int status, String message) {
        Reply answer = RawHttp.send(store.uri(), method, target.replace("LONG", "k".repeat(8193)),
                method.equals("PUT") || method.equals("POST") ? bytes("v") : null);
        assertEquals(status, answer.status(), answer::toString);
        assertTrue(answer.text().contains(message), answer::toString);
        assertFalse(answer.text().contains("Exception") || answer.text().contains("\tat "), answer::toString);
    }

    @Test
    void optionsAnswersTheAllowedMethodsAndNoWadl() {
        Reply options = store.send("OPTIONS", "/get/some-key", null);
        assertEquals(200, options.status(), options::toString);
        assertTrue(options.header("Allow").contains("GET") && options.header("Allow").contains("HEAD"), options::toString);
        assertFalse(options.text().contains("wadl") || String.valueOf(options.header("Content-Type")).contains("wadl"), options::toString);
    }

    @Test
    void openApiDescribesTheClientAndAdminApi() {
        JsonObject api = store.target().path("openapi").request(MediaType.APPLICATION_JSON).get(JsonObject.class);
        assertEquals("tdkvs", api.getJsonObject("info").getString("title"));
        JsonObject paths = api.getJsonObject("paths");
        for (String path : List.of("/set/{key}", "/get/{key}", "/delete/{key}", "/list/{prefix}", "/admin/status",
                "/admin/migration", "/admin/volumes", "/admin/volumes/drain")) {
            assertTrue(paths.containsKey(path), () -> path + " in " + paths.keySet());
        }
        assertEquals("Store a value under a key", paths.getJsonObject("/set/{key}").getJsonObject("put").getString("summary"));
        assertTrue(paths.getJsonObject("/get/{key}").getJsonObject("get").getJsonObject("responses").containsKey("206"));
        assertFalse(paths.keySet().stream().anyMatch(path -> path.contains("malformed")), paths.keySet()::toString);
    }

    @Test
    void metricsCountRequestsBytesKeysAndVolumes() {
        String key = unique("metrics");
        double putsBefore = Metrics.value(store, "tdkvs_requests_seconds_count", "operation=\"put\"", "status=\"201\"");
        double inBefore = Metrics.value(store, "tdkvs_value_bytes_total", "direction=\"in\"");
        double outBefore = Metrics.value(store, "tdkvs_value_bytes_total", "direction=\"out\"");
        store.put(key, new byte[1000]);
        store.get(key);
        Reply range = Reply.of(store.key("get", key).request().header("Range", "bytes=0-9").get());
        assertEquals(206, range.status());
        store.get(unique("absent"));

        assertEquals(putsBefore + 1, Metrics.value(store, "tdkvs_requests_seconds_count", "operation=\"put\"", "status=\"201\""));
        assertTrue(Metrics.value(store, "tdkvs_requests_seconds_count", "operation=\"get\"", "status=\"404\"") >= 1);
        assertTrue(Metrics.value(store, "tdkvs_requests_seconds_count", "operation=\"get\"", "status=\"206\"") >= 1);
        assertEquals(inBefore + 1000, Metrics.value(store, "tdkvs_value_bytes_total", "direction=\"in\""));
        assertEquals(outBefore + 1010, Metrics.value(store, "tdkvs_value_bytes_total", "direction=\"out\""));
        assertTrue(Metrics.value(store, "tdkvs_keys") >= 1);
        assertEquals(0, Metrics.value(store, "tdkvs_migration_running"));
        for (String volume : VOLUMES) {
            String tag = "volume=\"" + ArquillianServers.uri(volume) + "\"";
            assertEquals(1, Metrics.await(store, "tdkvs_volume_up", tag));
            Metrics.awaitValue(store, () -> Store.blobKeys(ArquillianServers.uri(volume)).size(), "tdkvs_volume_blobs", tag);
        }
    }

    /**
     * A small value read once is kept in the master's memory: read again, whole or a range, it is answered from
     * there (even with its blob file gone from the volume behind the master's back), and a write or a delete of
     * the key is seen by the next read.
     */
    @Test
    void aSmallValueReadAgainIsAnsweredFromTheMastersMemoryAndAWriteOrDeleteIsSeenAtOnce() throws Exception {
        String key = unique("cached");
        byte[] first = "first value".getBytes(StandardCharsets.UTF_8);
        assertEquals(201, store.put(key, first).status());
        double hits = Metrics.value(store, "tdkvs_value_cache_hits");
        double misses = Metrics.value(store, "tdkvs_value_cache_misses");
        assertArrayEquals(first, store.get(key).body());
        assertEquals(misses + 1, Metrics.value(store, "tdkvs_value_cache_misses"), "the first read asks the volume");

        Path file = Store.blobFile(key, Store.holder(key, Stream.of(VOLUMES).map(ArquillianServers::uri).toList()));
        byte[] blob = Files.readAllBytes(file);
        Files.delete(file);
        try {
            assertArrayEquals(first, store.get(key).body());
            Reply range = Reply.of(store.key("get", key).request().header("Range", "bytes=6-10").get());
            assertEquals(206, range.status(), range::toString);
            assertEquals("value", range.text());
            assertEquals("bytes 6-10/11", range.header("Content-Range"));
        } finally {
            Files.write(file, blob); // the volume counts its blobs: it finds the file where it left it
        }
        assertEquals(hits + 2, Metrics.value(store, "tdkvs_value_cache_hits"), "both later reads came from memory");
        assertTrue(Metrics.value(store, "tdkvs_value_cache_entries") >= 1);
        assertTrue(Metrics.value(store, "tdkvs_value_cache_capacity_bytes") > 0);

        byte[] second = "second".getBytes(StandardCharsets.UTF_8);
        assertEquals(204, store.put(key, second).status());
        assertArrayEquals(second, store.get(key).body());
        assertArrayEquals(second, store.get(key).body());
        assertEquals(204, store.delete(key).status());
        assertEquals(404, store.get(key).status());
    }

    /**
     * One byte of a stored value flipped on its volume: the volume checks the whole value before it
     * sends any, so the master answers 502 with the reason and none of the bytes, for the whole value
     * and for a range, whatever the size and wherever the byte.
     */
    @ParameterizedTest
    @CsvSource({"1000, 500", "300000, 0", "300000, 299999", "17000000, 8000000"})
    void aDamagedValueIsNeverServedAsGood(int size, int flipped) throws Exception {
        String key = unique("damaged");
        byte[] value = new byte[size];
        new Random(size + flipped).nextBytes(value);
        assertEquals(201, store.put(key, value).status());
        URI holder = Store.holder(key, Stream.of(VOLUMES).map(ArquillianServers::uri).toList());
        Path file = Store.blobFile(key, holder);
        byte[] stored = Files.readAllBytes(file);
        stored[stored.length - BlobFile.TRAILER_BYTES - size + flipped] ^= 0x01;
        Files.write(file, stored);

        for (String range : new String[] {null, "bytes=0-9"}) {
            Reply answer = Reply.of(store.key("get", key).request().header("Range", range).get());
            assertEquals(502, answer.status(), answer::toString);
            assertTrue(answer.text().contains("does not match its CRC32C"), answer::toString);
        }
        if (flipped == 500) {
            assertTrue(Metrics.await(store, "tdkvs_volume_damaged_blobs", "volume=\"" + holder + "\"") >= 1,
                    "the master reports the damaged blob");
        }
        assertEquals(String.valueOf(size), store.head(key).header("Content-Length"));
        assertEquals(204, store.delete(key).status());
    }

    @Test
    void concurrentWritesToOneKeyLeaveOneWholeValue() throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(16);
        try {
            for (int round = 0; round < 10; round++) {
                String key = unique("race");
                List<byte[]> values = IntStream.range(0, 16).mapToObj(i -> {
                    byte[] value = new byte[(i + 1) * 1000];
                    Arrays.fill(value, (byte) ('a' + i));
                    return value;
                }).toList();
                List<Future<Integer>> statuses = new ArrayList<>();
                for (byte[] value : values) {
                    statuses.add(writers.submit(() -> store.put(key, value).status()));
                }
                int created = 0;
                for (Future<Integer> status : statuses) {
                    int code = status.get();
                    assertTrue(code == 201 || code == 204, "status " + code);
                    created += code == 201 ? 1 : 0;
                }
                assertEquals(1, created, "exactly one write created the key");
                byte[] stored = store.get(key).body();
                assertTrue(values.stream().anyMatch(v -> Arrays.equals(v, stored)), "the stored value is one of the values written, whole");
            }
        } finally {
            writers.shutdownNow();
        }
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID() + "-";
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
