package io.tdkvs.master.keys.entity;

import java.util.ArrayList;
import java.util.List;

import io.tdkvs.protocol.BlobName;

/**
 * Where a key's value lives: the volumes that hold a good copy of it (by their permanent ids,
 * distinct, in the order reads try them), the generation of the write that stored it, and the
 * value's size and CRC32C as the volumes confirmed them, and its {@link Attributes}. Every copy is a
 * blob of the same name.
 */
public record MetaKey(List<Integer> holders, long generation, long size, int crc32c, Attributes attributes) {

    public MetaKey {
        holders = List.copyOf(holders);
        if (holders.isEmpty() || holders.stream().distinct().count() != holders.size()) {
            throw new IllegalArgumentException("a metakey needs distinct holders, not " + holders);
        }
    }

    /** A value whose attributes are not known. */
    public MetaKey(List<Integer> holders, long generation, long size, int crc32c) {
        this(holders, generation, size, crc32c, Attributes.NONE);
    }

    /** A value with one copy. */
    public MetaKey(int volumeId, long generation, long size, int crc32c) {
        this(List.of(volumeId), generation, size, crc32c);
    }

    /** The name of the value's blob on its volumes. */
    public BlobName blobName(Key key) {
        return blobName(key, generation);
    }

    public static BlobName blobName(Key key, long generation) {
        return BlobName.of(key.sha256Hex(), generation);
    }

    public boolean heldBy(int volumeId) {
        return holders.contains(volumeId);
    }

    /** The same value, held by {@code next} instead. */
    public MetaKey heldBy(List<Integer> next) {
        return new MetaKey(next, generation, size, crc32c, attributes);
    }

    /** The same value without the copy on {@code volumeId}; it must not be the last one. */
    public MetaKey without(int volumeId) {
        List<Integer> rest = new ArrayList<>(holders);
        rest.remove(Integer.valueOf(volumeId));
        return heldBy(rest);
    }
}
