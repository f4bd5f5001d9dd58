package io.tdkvs.master.s3.signature;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A request whose signature matched: who signed it, and what the signature says of its payload
 * ({@link #payloadHash()}: the SHA-256 of the body in hex, {@value SignatureV4#UNSIGNED_PAYLOAD}, or one of
 * the streaming forms). A streaming upload's chunks and trailer are signed with the same key, each
 * signature chained to the one before, starting from the request's ({@link #signature()}).
 */
public record Authenticated(String accessKey, String payloadHash, String signature, String amzDate, String scope,
                            byte[] signingKey) {

    /** The signature a chunk of a streaming upload carries, after the one before it (the request's, for the first). */
    public String chunkSignature(String previous, byte[] chunkSha256) {
        return sign("AWS4-HMAC-SHA256-PAYLOAD\n" + amzDate + "\n" + scope + "\n" + previous + "\n"
                + SigningKey.EMPTY_SHA256 + "\n" + SigningKey.hex(chunkSha256));
    }

    /** The signature of a streaming upload's trailer, after the last chunk's (its empty chunk's). */
    public String trailerSignature(String previous, byte[] trailerSha256) {
        return sign("AWS4-HMAC-SHA256-TRAILER\n" + amzDate + "\n" + scope + "\n" + previous + "\n"
                + SigningKey.hex(trailerSha256));
    }

    /** Whether a signature sent equals the one computed, compared in constant time. */
    public static boolean same(String computed, String sent) {
        return MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII), sent.getBytes(StandardCharsets.US_ASCII));
    }

    private String sign(String stringToSign) {
        return SigningKey.hex(SigningKey.hmac(signingKey, stringToSign));
    }
}
