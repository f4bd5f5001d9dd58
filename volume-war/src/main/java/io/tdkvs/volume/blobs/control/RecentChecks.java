package io.tdkvs.volume.blobs.control;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.tdkvs.protocol.BlobName;

/**
 * The blobs whose whole value was read and matched its CRC32C a short while ago. A client that reads
 * a large value in ranges (S3 clients fetch 8 MiB at a time, ten at once) would otherwise have the whole
 * value read and checked once per range: for a 1 GiB value, 128 GiB read to send 1. A range of a blob
 * checked within {@link #FRESH} is sent without reading the rest again; a blob written, replaced,
 * deleted or found damaged is forgotten at once, and the scrub still reads every blob in its turn.
 * Bounded: the least recently checked are forgotten first.
 */
final class RecentChecks {

    static final Duration FRESH = Duration.ofSeconds(60);
    private static final int MAX = 4096;
    private static final int STRIPES = 64;

    private record Check(long size, int crc32c, long at) {
    }

    private final Map<BlobName, Check> checks = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<BlobName, Check> eldest) {
            return size() > MAX;
        }
    };
    private final Object[] stripes = new Object[STRIPES];

    RecentChecks() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
    }

    /** Whether the blob, as it is now ({@code size}, {@code crc32c}), was checked whole less than {@link #FRESH} ago. */
    synchronized boolean fresh(BlobName name, long size, int crc32c, long now) {
        Check check = checks.get(name);
        return check != null && check.size() == size && check.crc32c() == crc32c && now - check.at() < FRESH.toNanos();
    }

    synchronized void passed(BlobName name, long size, int crc32c, long now) {
        checks.put(name, new Check(size, crc32c, now));
    }

    synchronized void forget(BlobName name) {
        checks.remove(name);
    }

    /** What readers of one blob hold while one of them checks it: the others wait and use its result. */
    Object lock(BlobName name) {
        return stripes[Math.floorMod(name.hashCode(), STRIPES)];
    }
}
