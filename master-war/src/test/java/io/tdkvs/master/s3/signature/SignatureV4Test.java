package io.tdkvs.master.s3.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The worked examples of AWS's Signature Version 4 documentation for S3, and the ways a request is refused. */
class SignatureV4Test {

    private static final String ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final Instant SIGNED_AT = Instant.parse("2013-05-24T00:00:00Z");
    private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final String HOST = "examplebucket.s3.amazonaws.com";

    private final SignatureV4 signatures = at(SIGNED_AT.plusSeconds(60));

    private static SignatureV4 at(Instant now) {
        return new SignatureV4("us-east-1", key -> key.equals(ACCESS_KEY) ? Optional.of(SECRET) : Optional.empty(),
                Clock.fixed(now, ZoneOffset.UTC));
    }

    private static Map<String, List<String>> headers(String... namesAndValues) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.put(namesAndValues[i], List.of(namesAndValues[i + 1]));
        }
        return headers;
    }

    private static String authorization(String signedHeaders, String signature) {
        return "AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/20130524/us-east-1/s3/aws4_request,SignedHeaders="
                + signedHeaders + ",Signature=" + signature;
    }

    private static SignedRequest getObject(String signature) {
        return new SignedRequest("GET", "/test.txt", "", headers("Host", HOST, "Range", "bytes=0-9",
                "x-amz-content-sha256", EMPTY, "x-amz-date", "20130524T000000Z", "Authorization",
                authorization("host;range;x-amz-content-sha256;x-amz-date", signature)));
    }

    @Test
    void getObjectSignedInItsHeader() {
        Authenticated signer = signatures.verify(getObject("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"));
        assertEquals(ACCESS_KEY, signer.accessKey());
        assertEquals(EMPTY, signer.payloadHash());
    }

    @Test
    void putObjectWithAnEscapedPathAndADateHeader() {
        SignedRequest put = new SignedRequest("PUT", "/test$file.text", "", headers("Host", HOST,
                "Date", "Fri, 24 May 2013 00:00:00 GMT", "x-amz-date", "20130524T000000Z",
                "x-amz-storage-class", "REDUCED_REDUNDANCY",
                "x-amz-content-sha256", "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072",
                "Authorization", authorization("date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
                        "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")));
        assertEquals("44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072",
                signatures.verify(put).payloadHash());
    }

    @Test
    void queriesAreSortedAndAParameterWithoutValueSignsAsEmpty() {
        SignedRequest lifecycle = new SignedRequest("GET", "/", "lifecycle", headers("Host", HOST,
                "x-amz-content-sha256", EMPTY, "x-amz-date", "20130524T000000Z", "Authorization",
                authorization("host;x-amz-content-sha256;x-amz-date",
                        "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")));
        signatures.verify(lifecycle);
        SignedRequest list = new SignedRequest("GET", "/", "prefix=J&max-keys=2", headers("Host", HOST,
                "x-amz-content-sha256", EMPTY, "x-amz-date", "20130524T000000Z", "Authorization",
                authorization("host;x-amz-content-sha256;x-amz-date",
                        "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")));
        signatures.verify(list);
    }

    private static SignedRequest presigned(String expires) {
        return new SignedRequest("GET", "/test.txt", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="
                + ACCESS_KEY + "%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires="
                + expires + "&X-Amz-SignedHeaders=host"
                + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
                headers("Host", HOST));
    }

    @Test
    void presignedUrlHoldsUntilItExpires() {
        assertEquals(SignatureV4.UNSIGNED_PAYLOAD, signatures.verify(presigned("86400")).payloadHash());
        assertEquals(ACCESS_KEY, at(SIGNED_AT.plusSeconds(86400)).verify(presigned("86400")).accessKey());
        assertRefused(SignatureException.Code.ACCESS_DENIED, at(SIGNED_AT.plusSeconds(86401)), presigned("86400"));
        assertRefused(SignatureException.Code.ACCESS_DENIED, at(SIGNED_AT.minusSeconds(16 * 60)), presigned("86400"));
        assertRefused(SignatureException.Code.AUTHORIZATION_QUERY_PARAMETERS_ERROR, signatures, presigned("604801"));
        assertRefused(SignatureException.Code.AUTHORIZATION_QUERY_PARAMETERS_ERROR, signatures, presigned("soon"));
        assertRefused(SignatureException.Code.SIGNATURE_DOES_NOT_MATCH, signatures, presigned("86399"));
    }

    @Test
    void streamingUploadChainsItsChunkSignaturesFromTheSeed() {
        SignedRequest put = new SignedRequest("PUT", "/examplebucket/chunkObject.txt", "", headers(
                "Host", "s3.amazonaws.com", "x-amz-date", "20130524T000000Z", "x-amz-storage-class", "REDUCED_REDUNDANCY",
                "x-amz-content-sha256", SignatureV4.STREAMING_SIGNED, "Content-Encoding", "aws-chunked",
                "x-amz-decoded-content-length", "66560", "Content-Length", "66824", "Authorization",
                authorization("content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
                        + "x-amz-decoded-content-length;x-amz-storage-class",
                        "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9")));
        Authenticated seed = signatures.verify(put);
        assertEquals(SignatureV4.STREAMING_SIGNED, seed.payloadHash());
        String first = seed.chunkSignature(seed.signature(), sha256(65536));
        assertEquals("ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648", first);
        String second = seed.chunkSignature(first, sha256(1024));
        assertEquals("0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497", second);
        assertEquals("b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9",
                seed.chunkSignature(second, sha256(0)));
    }

    private static byte[] sha256(int bytesOfA) {
        byte[] chunk = new byte[bytesOfA];
        Arrays.fill(chunk, (byte) 'a');
        return SigningKey.sha256(chunk);
    }

    @Test
    void aPathIsSignedAsItsBytesEncodedOnceWhateverEscapesTheClientChose() {
        SignedRequest tilde = new SignedRequest("GET", "/b/%7Ea%20b%2Bc/%E2%82%AC", "", headers());
        SignedRequest plain = new SignedRequest("GET", "/b/~a%20b+c/\u20ac", "", headers());
        String expected = "GET\n/b/~a%20b%2Bc/%E2%82%AC\n\n\n\nUNSIGNED-PAYLOAD";
        assertEquals(expected, SignatureV4.canonicalRequest(tilde, List.of(), SignatureV4.UNSIGNED_PAYLOAD, false));
        assertEquals(expected, SignatureV4.canonicalRequest(plain, List.of(), SignatureV4.UNSIGNED_PAYLOAD, false));
    }

    @Test
    void refusals() {
        assertRefused(SignatureException.Code.SIGNATURE_DOES_NOT_MATCH, signatures,
                getObject("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb42"));
        assertRefused(SignatureException.Code.REQUEST_TIME_TOO_SKEWED, at(SIGNED_AT.plusSeconds(15 * 60 + 1)),
                getObject("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"));
        assertRefused(SignatureException.Code.REQUEST_TIME_TOO_SKEWED, at(SIGNED_AT.minusSeconds(15 * 60 + 1)),
                getObject("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"));
        SignatureV4 otherRegion = new SignatureV4("eu-west-1", key -> Optional.of(SECRET), Clock.fixed(SIGNED_AT,
                ZoneOffset.UTC));
        assertRefused(SignatureException.Code.AUTHORIZATION_HEADER_MALFORMED, otherRegion,
                getObject("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"));
        SignatureV4 noKeys = new SignatureV4("us-east-1", key -> Optional.empty(), Clock.fixed(SIGNED_AT, ZoneOffset.UTC));
        assertRefused(SignatureException.Code.INVALID_ACCESS_KEY_ID, noKeys,
                getObject("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"));
        assertRefused(SignatureException.Code.ACCESS_DENIED, signatures,
                new SignedRequest("GET", "/test.txt", "", headers("Host", HOST)));
        assertRefused(SignatureException.Code.INVALID_REQUEST, signatures, new SignedRequest("GET", "/test.txt", "",
                headers("Host", HOST, "Authorization", "AWS " + ACCESS_KEY + ":frJIUN8DYpKDtOLCwo//yllqDzg=")));
        assertRefused(SignatureException.Code.INVALID_REQUEST, signatures, new SignedRequest("GET", "/test.txt", "",
                headers("Host", HOST, "x-amz-date", "20130524T000000Z", "Authorization", authorization("host;x-amz-date",
                        "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"))));
        assertRefused(SignatureException.Code.INVALID_ARGUMENT, signatures, new SignedRequest("GET", "/test.txt", "",
                headers("Host", HOST, "x-amz-date", "20130524T000000Z", "x-amz-content-sha256", "whatever",
                        "Authorization", authorization("host;x-amz-date", "00"))));
        assertRefused(SignatureException.Code.AUTHORIZATION_HEADER_MALFORMED, signatures, new SignedRequest("GET",
                "/test.txt", "", headers("Host", HOST, "x-amz-date", "20130524T000000Z", "x-amz-content-sha256", EMPTY,
                        "Authorization", authorization("x-amz-date", "00"))));
        assertRefused(SignatureException.Code.AUTHORIZATION_HEADER_MALFORMED, signatures, new SignedRequest("GET",
                "/test.txt", "", headers("Host", HOST, "x-amz-date", "20130524T000000Z", "x-amz-content-sha256", EMPTY,
                        "Authorization", "AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/20130524/us-east-1/s3/aws4_request")));
    }

    private static void assertRefused(SignatureException.Code code, SignatureV4 signatures, SignedRequest request) {
        SignatureException refused = assertThrows(SignatureException.class, () -> signatures.verify(request));
        assertEquals(code, refused.code(), refused.getMessage());
    }

    @Test
    void signaturesAreComparedWhole() {
        assertFalse(Authenticated.same("ab", "abc"));
        assertFalse(Authenticated.same("ab", "aB"));
        assertTrue(Authenticated.same("ab", new String("ab".getBytes(StandardCharsets.US_ASCII), StandardCharsets.US_ASCII)));
    }
}
