package io.tdkvs.runtime;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 of a key's bytes, which both servers use to name blobs (and the master to place keys).
 * One digest per thread: looking one up costs more than hashing a short key.
 */
public final class Sha256 {

    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    });

    private Sha256() {
    }

    public static byte[] of(byte[] bytes) {
        return DIGEST.get().digest(bytes);
    }
}
