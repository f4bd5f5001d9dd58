package io.tdkvs.master.s3.signature;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The key a secret signs with on one day, in one region, for S3: HMAC-SHA256 chained over the scope. */
final class SigningKey {

    static final HexFormat HEX = HexFormat.of();
    /** One SHA-256 per thread for the hash of a whole byte array (the canonical request of a signature), as {@link #MAC} for HMACs. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(SigningKey::sha256);
    /** The SHA-256 of nothing, in hex: the hash of an empty payload. */
    static final String EMPTY_SHA256 = hex(sha256(new byte[0]));

    private SigningKey() {
    }

    /** The keys derived lately, by secret, day and region: a client signs many requests with one key a day. */
    private static final Map<List<String>, byte[]> DERIVED = new ConcurrentHashMap<>();
    private static final int MAX_DERIVED = 1024;
    /** One Mac per thread: looking the algorithm up for each HMAC costs more than computing it. */
    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    });

    /** The signing key, derived once per secret, day and region (four HMACs) and then kept. */
    static byte[] cached(String secret, String date, String region) {
        List<String> scope = List.of(secret, date, region);
        byte[] key = DERIVED.get(scope);
        if (key == null) {
            if (DERIVED.size() >= MAX_DERIVED) {
                DERIVED.clear();
            }
            key = derive(secret, date, region);
            DERIVED.put(scope, key);
        }
        return key;
    }

    static byte[] derive(String secret, String date, String region) {
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, "s3");
        return hmac(key, "aws4_request");
    }

    static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = MAC.get();
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    /** A SHA-256 of its own, for a hash fed piece by piece (a payload as it streams in). */
    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    static byte[] sha256(byte[] data) {
        return SHA256.get().digest(data); // digest resets it for the next
    }

    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }
}
