package io.tdkvs.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import io.tdkvs.it.support.Cluster;
import io.tdkvs.it.support.Kv;
import io.tdkvs.it.support.Kv.Answer;
import io.tdkvs.it.support.RawHttp;

/** The client API table of the README, against a master and three volumes. Each test uses keys of its own. */
class ClientApiIT {

    private static Cluster cluster;
    private static Kv kv;

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.start("client-api", 3);
        kv = new Kv(cluster.masterUri());
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void putAnswers201ForANewKeyAnd204ForAReplacedOne() {
        String key = unique("put");
        Answer created = kv.put(key, bytes("one"));
        assertEquals(201, created.status(), created::toString);
        assertEquals(cluster.masterUri() + "/get/" + key, created.headers().firstValue("Location").orElseThrow());
        assertEquals(204, kv.put(key, bytes("two")).status());
        assertEquals("two", kv.get(key).text());
    }

    @Test
    void getAnswersTheExactBytesWithTheirLength() {
        String key = unique("binary");
        byte[] value = new byte[1 << 20];
        new Random(7).nextBytes(value);
        for (int b = 0; b < 256; b++) {
            value[b] = (byte) b;
        }
        assertEquals(201, kv.put(key, value).status());
        Answer answer = kv.get(key);
        assertEquals(200, answer.status());
        assertArrayEquals(value, answer.body());
        assertEquals(String.valueOf(value.length), answer.headers().firstValue("Content-Length").orElseThrow());
        assertEquals("application/octet-stream", answer.headers().firstValue("Content-Type").orElseThrow());
    }

    @Test
    void anEmptyValueIsAValue() {
        String key = unique("empty");
        assertEquals(201, kv.put(key, new byte[0]).status());
        Answer answer = kv.get(key);
        assertEquals(200, answer.status());
        assertEquals(0, answer.body().length);
        assertEquals("0", kv.head(key).headers().firstValue("Content-Length").orElseThrow());
    }

    @Test
    void aSixteenMiBValueRoundTrips() {
        String key = unique("16MiB");
        byte[] value = new byte[16 << 20];
        new Random(16).nextBytes(value);
        assertEquals(201, kv.put(key, value).status());
        assertArrayEquals(value, kv.get(key).body());
    }

    @Test
    void overwriteWithAShorterValueLeavesNoTail() {
        String key = unique("overwrite");
        kv.put(key, bytes("hello world, a long value"));
        assertEquals(204, kv.put(key, bytes("short")).status());
        assertEquals("short", kv.get(key).text());
    }

    @Test
    void headAnswersTheLengthWithoutABody() {
        String key = unique("head");
        kv.put(key, bytes("12345"));
        Answer answer = kv.head(key);
        assertEquals(200, answer.status());
        assertEquals("5", answer.headers().firstValue("Content-Length").orElseThrow());
        assertEquals(0, answer.body().length);
    }

    @Test
    void anAbsentKeyAnswers404ToGetHeadAndDelete() {
        String key = unique("absent");
        Answer get = kv.get(key);
        assertEquals(404, get.status());
        assertTrue(get.text().contains("no such key"), get::toString);
        assertEquals(404, kv.head(key).status());
        assertEquals(404, kv.delete(key).status());
    }

    @Test
    void deleteAnswers204AndTheKeyIsGone() {
        String key = unique("delete");
        kv.put(key, bytes("v"));
        assertEquals(204, kv.delete(key).status());
        assertEquals(404, kv.get(key).status());
        assertEquals(201, kv.put(key, bytes("again")).status());
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
        assertEquals(201, kv.put(key, value).status(), () -> kv.get(key).toString());
        assertArrayEquals(value, kv.get(key).body());
        long holders = IntStream.range(0, 3).filter(i -> Kv.blobKeys(cluster.volume(i).uri()).contains(key)).count();
        assertEquals(1, holders, "exactly one volume holds the key, under its exact name");
        assertEquals(204, kv.delete(key).status());
    }

    static Stream<Arguments> keysOnlyTheQueryCarries() {
        return Stream.of(Arguments.of("nul\u0000byte"), Arguments.of("../../climbs"), Arguments.of("back\\slash"),
                Arguments.of("a/./b"), Arguments.of("sp ace+plus"));
    }

    @ParameterizedTest
    @MethodSource("keysOnlyTheQueryCarries")
    void keysAPathCannotCarryWorkAsAQueryParameter(String hostile) {
        String key = unique("query") + hostile;
        String query = "?key=" + Kv.encode(key, false);
        byte[] value = bytes("value of " + key);
        assertEquals(201, kv.send("PUT", "/set" + query, value).status());
        assertArrayEquals(value, kv.send("GET", "/get" + query, null).body());
        assertEquals(String.valueOf(value.length), kv.send("HEAD", "/get" + query, null).headers()
                .firstValue("Content-Length").orElseThrow());
        assertEquals(204, kv.send("DELETE", "/delete" + query, null).status());
        assertEquals(404, kv.send("GET", "/get" + query, null).status());
    }

    @ParameterizedTest
    @MethodSource("keysOnlyTheQueryCarries")
    void keysPayaraWouldRefuseWorkInThePathToo(String hostile) {
        String key = unique("path") + hostile;
        String target = Kv.encode(key, true);
        byte[] value = bytes("value of " + key);
        Answer put = RawHttp.send(cluster.masterUri(), "PUT", "/set/" + target, value);
        assertEquals(201, put.status(), put::toString);
        assertArrayEquals(value, RawHttp.send(cluster.masterUri(), "GET", "/get/" + target, null).body());
        assertArrayEquals(value, kv.send("GET", "/get?key=" + Kv.encode(key, false), null).body(), "the same key either way");
        assertEquals(204, RawHttp.send(cluster.masterUri(), "DELETE", "/delete/" + target, null).status());
    }

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
            "POST   | /set/x              | 405 | method not allowed",
            "DELETE | /get/x              | 405 | method not allowed",
            "GET    | /nothing            | 404 | no such endpoint"})
    void badRequestsAnswer4xxWithAMessage(String method, String target, int status, String message) {
        Answer answer = RawHttp.send(cluster.masterUri(), method, target.replace("LONG", "k".repeat(8193)),
                method.equals("PUT") ? bytes("v") : null);
        assertEquals(status, answer.status(), answer::toString);
        assertTrue(answer.text().contains(message), answer::toString);
        assertFalse(answer.text().contains("Exception") || answer.text().contains("\tat "), answer::toString);
    }

    @Test
    void concurrentWritesToOneKeyLeaveOneWholeValue() throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(16);
        try {
            for (int round = 0; round < 10; round++) {
                String key = unique("race");
                List<byte[]> values = IntStream.range(0, 16).mapToObj(i -> {
                    byte[] value = new byte[(i + 1) * 1000];
                    java.util.Arrays.fill(value, (byte) ('a' + i));
                    return value;
                }).toList();
                List<Future<Integer>> statuses = new ArrayList<>();
                for (byte[] value : values) {
                    statuses.add(writers.submit(() -> kv.put(key, value).status()));
                }
                int created = 0;
                for (Future<Integer> status : statuses) {
                    int code = status.get();
                    assertTrue(code == 201 || code == 204, "status " + code);
                    created += code == 201 ? 1 : 0;
                }
                assertEquals(1, created, "exactly one write created the key");
                byte[] stored = kv.get(key).body();
                assertTrue(values.stream().anyMatch(v -> java.util.Arrays.equals(v, stored)),
                        "the stored value is one of the values written, whole");
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
