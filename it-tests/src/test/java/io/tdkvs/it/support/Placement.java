package io.tdkvs.it.support;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.tdkvs.runtime.Sha256;

/** Where the store places a key, computed independently of its code, for tests that must pick keys by volume. */
public final class Placement {

    private Placement() {
    }

    /**
     * The volume of a key's first copy, the one reads try first, in a cluster that never changed its
     * volumes: jump consistent hash (arXiv:1406.2294) of the first 8 bytes of the SHA-256 of the key.
     */
    public static int firstCopy(String key, int volumes) {
        long k = ByteBuffer.wrap(Sha256.of(key.getBytes(StandardCharsets.UTF_8))).getLong();
        long b = -1;
        for (long j = 0; j < volumes; ) {
            b = j;
            k = k * 2862933555777941757L + 1;
            j = (long) ((b + 1) * ((double) (1L << 31) / (double) ((k >>> 33) + 1)));
        }
        return (int) b;
    }
}
