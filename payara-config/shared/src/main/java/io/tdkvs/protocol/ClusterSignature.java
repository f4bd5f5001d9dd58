package io.tdkvs.protocol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a cluster's master proves to its volumes that a request is its own: the header
 * {@value #HEADER}{@code : <millis>:<nonce>:<hmac>}, where {@code hmac} is the HMAC-SHA256, keyed with
 * the cluster's secret, of the method, the request target (path and query, as sent), the time in
 * milliseconds since the epoch and a random nonce, each on a line. A volume refuses a request whose
 * time is more than {@link #WINDOW} away from its own clock (a captured request cannot be replayed
 * later), and remembers the signatures it took within that window, so a captured request cannot be
 * replayed at all ({@code Replays} on the volume). The owner of this format; the secret never travels.
 */
public final class ClusterSignature {

    public static final String HEADER = "X-Tdkvs-Signature";
    /** How far a request's time may be from the volume's clock. */
    public static final Duration WINDOW = Duration.ofSeconds(30);
    private static final String ALGORITHM = "HmacSHA256";
    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Mac prototype;

    /** What a check found. */
    public enum Verdict {
        VALID("signed by the cluster"),
        MISSING("the request is not signed; this volume answers only its cluster's master (header " + HEADER + ")"),
        MALFORMED("the request's signature is malformed (expected " + HEADER + ": <millis>:<nonce>:<hmac>)"),
        STALE("the request's signature is too old or too far ahead (more than " + WINDOW.toSeconds()
                + " s from this volume's clock): it may be a replay, or the clocks differ"),
        FORGED("the request's signature does not match: it was not signed with this cluster's secret, or was altered");

        private final String message;

        Verdict(String message) {
            this.message = message;
        }

        public String message() {
            return message;
        }
    }

    public ClusterSignature(String secret) {
        Objects.requireNonNull(secret);
        try {
            prototype = Mac.getInstance(ALGORITHM);
            prototype.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + ALGORITHM, e);
        }
    }

    /** The header's value for a request sent now. */
    public String sign(String method, String target) {
        byte[] nonce = new byte[8];
        RANDOM.nextBytes(nonce);
        return sign(method, target, System.currentTimeMillis(), HEX.formatHex(nonce));
    }

    /** The header's value for a request sent at {@code millis} with this nonce (16 hex digits). */
    public String sign(String method, String target, long millis, String nonce) {
        return millis + ":" + nonce + ":" + HEX.formatHex(mac(method, target, millis, nonce));
    }

    /** Whether a request carries a valid signature of this cluster, by a clock that reads {@code nowMillis}. */
    public Verdict check(String method, String target, String header, long nowMillis) {
        if (header == null || header.isBlank()) {
            return Verdict.MISSING;
        }
        String[] parts = header.strip().split(":", -1);
        if (parts.length != 3 || !parts[0].matches("\\d{1,19}") || !parts[1].matches("[0-9a-f]{16}")
                || !parts[2].matches("[0-9a-f]{64}")) {
            return Verdict.MALFORMED;
        }
        long millis;
        try {
            millis = Long.parseLong(parts[0]);
        } catch (NumberFormatException e) {
            return Verdict.MALFORMED;
        }
        if (!MessageDigest.isEqual(HEX.parseHex(parts[2]), mac(method, target, millis, parts[1]))) {
            return Verdict.FORGED;
        }
        return Math.abs(nowMillis - millis) > WINDOW.toMillis() ? Verdict.STALE : Verdict.VALID;
    }

    /** The time a signature names (milliseconds since the epoch); only for a signature that {@link #check checked}. */
    public static long millis(String header) {
        return Long.parseLong(header.strip().substring(0, header.strip().indexOf(':')));
    }

    private byte[] mac(String method, String target, long millis, String nonce) {
        Mac mac;
        try {
            mac = (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(ALGORITHM + " cannot be cloned", e);
        }
        return mac.doFinal((method + "\n" + target + "\n" + millis + "\n" + nonce).getBytes(StandardCharsets.UTF_8));
    }
}
