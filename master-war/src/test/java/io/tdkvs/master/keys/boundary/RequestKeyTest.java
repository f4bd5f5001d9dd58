package io.tdkvs.master.keys.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.tdkvs.master.keys.entity.InvalidKeyException;
import io.tdkvs.master.keys.entity.Key;

class RequestKeyTest {

    @ParameterizedTest(name = "{0}?{1} is \"{2}\"")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "/get/plain          | null        | plain",
            "/get/a/b/c          | null        | a/b/c",
            "/get/a%2Fb          | null        | a/b",
            "/get/a;b            | null        | a;b",
            "/get/1+1            | null        | 1+1",
            "/get/sp%20ace       | null        | sp ace",
            "/get/caf%C3%A9      | null        | café",
            "/get/%3F%23%25      | null        | ?#%",
            "/get/..             | null        | ..",
            "/get                | key=a%00b   | a\u0000b",
            "/get                | key=1+1     | 1 1",
            "/get/               | x=1&key=k   | k",
            "/get/path           | x=1         | path"})
    void decodesTheKeyExactly(String path, String query, String expected) {
        assertEquals(Key.of(expected), RequestKey.parse("get", path, query));
    }

    @ParameterizedTest(name = "{0}?{1}: {2}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "/get/          | null          | no key",
            "/get           | null          | no key",
            "/get           | key=          | the key is empty",
            "/get/bad%2     | null          | malformed percent-escape",
            "/get/bad%zz    | null          | malformed percent-escape",
            "/get/%FF       | null          | not valid UTF-8",
            "/get/%C3       | null          | not valid UTF-8",
            "/get           | key=a&key=b   | more than once",
            "/get/a         | key=b         | not both"})
    void rejectsWhatIsNotAKeyWithAReason(String path, String query, String reason) {
        InvalidKeyException e = assertThrows(InvalidKeyException.class, () -> RequestKey.parse("get", path, query));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void refusesKeysOverTheLimit() {
        String fourKiB = "k".repeat(4096);
        assertEquals(4096, RequestKey.parse("set", "/set/" + fourKiB, null).utf8().length);
        InvalidKeyException e = assertThrows(InvalidKeyException.class,
                () -> RequestKey.parse("set", "/set/" + "%C3%A9".repeat(4097), null));
        assertEquals(InvalidKeyException.Problem.TOO_LONG, e.problem());
    }
}
