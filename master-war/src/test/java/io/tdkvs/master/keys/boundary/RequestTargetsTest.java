package io.tdkvs.master.keys.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.tdkvs.master.keys.entity.Key;

class RequestTargetsTest {

    @ParameterizedTest(name = "{0} is left alone")
    @CsvSource(nullValues = "null", value = {
            "/get/plain, null", "/set/a%2Fb, null", "/delete/caf%C3%A9, null", "/get/a;b, x=1", "/get/..., null",
            "/admin/status, null", "/get/, null", "/get, key=a%00b"})
    void leavesWhatTheContainerHandles(String path, String query) {
        assertEquals(Optional.empty(), RequestTargets.repair(path, query));
    }

    @ParameterizedTest(name = "{0} -> key \"{2}\"")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "/get/a%00b          | null | a\u0000b",
            "/set/back%5Cslash   | null | back\\slash",
            "/set/back\\slash     | null | back\\slash",
            "/get/..             | null | ..",
            "/get/%2E%2E%2F..%2Fx | null | ../../x",
            "/get/a/./b          | null | a/./b",
            "/get/a&b%00c        | null | a&b\u0000c",
            "/delete/1+1%00x     | null | 1+1\u0000x"})
    void movesKeysThePathCannotCarryIntoTheQueryUnchanged(String path, String query, String key) {
        RequestTargets.Target target = RequestTargets.repair(path, query).orElseThrow();
        String endpoint = path.substring(1, path.indexOf('/', 1));
        assertEquals("/" + endpoint, target.path());
        assertEquals(Key.of(key), RequestKey.parse(endpoint, target.path(), target.query()));
    }

    @ParameterizedTest
    @CsvSource({"/get/bad%2", "/set/bad%zz", "/get/%FF"})
    void keysWithMalformedEscapesReachTdkvsWhichExplainsThem(String path) {
        RequestTargets.Target target = RequestTargets.repair(path, null).orElseThrow();
        String endpoint = path.substring(1, path.indexOf('/', 1));
        try {
            RequestKey.parse(endpoint, target.path(), target.query());
        } catch (io.tdkvs.master.keys.entity.InvalidKeyException e) {
            assertTrue(e.getMessage().contains("malformed") || e.getMessage().contains("UTF-8"), e.getMessage());
            return;
        }
        throw new AssertionError("accepted a malformed key");
    }

    @ParameterizedTest
    @CsvSource({"/nothing%2", "/admin/%zz"})
    void otherMalformedTargetsAreRefused(String path) {
        assertEquals(Optional.of(new RequestTargets.Target(RequestTargets.MALFORMED, null)), RequestTargets.repair(path, null));
    }
}
