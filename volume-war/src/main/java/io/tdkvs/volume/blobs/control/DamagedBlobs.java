package io.tdkvs.volume.blobs.control;

import java.util.List;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;

import io.tdkvs.protocol.BlobName;

/**
 * The blobs found damaged (a file that is not a whole blob, or a value that does not match its
 * CRC32C), by a read or by the scrub, until they are removed. Lost on a restart; the next scrub
 * pass finds them again.
 */
final class DamagedBlobs {

    /** At most this many names are reported; the count is exact. */
    static final int REPORTED = 1000;

    private final NavigableSet<BlobName> names = new ConcurrentSkipListSet<>((a, b) -> a.value().compareTo(b.value()));

    /** Answers whether it is news. */
    boolean add(BlobName name) {
        return names.add(name);
    }

    void remove(BlobName name) {
        names.remove(name);
    }

    int count() {
        return names.size();
    }

    /** The first {@link #REPORTED} names, in order. */
    List<String> names() {
        return names.stream().limit(REPORTED).map(BlobName::value).toList();
    }
}
