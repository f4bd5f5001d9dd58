package io.tdkvs.master.keys.entity;

import io.tdkvs.protocol.BlobName;

/**
 * Where a key's value lives: the volume (by its permanent id), the generation of the write that
 * stored it, and the value's size and CRC32C as the volume confirmed them.
 */
public record MetaKey(int volumeId, long generation, long size, int crc32c) {

    /** The name of the value's blob on its volume. */
    public BlobName blobName(Key key) {
        return blobName(key, generation);
    }

    public static BlobName blobName(Key key, long generation) {
        return BlobName.of(key.sha256Hex(), generation);
    }

    public MetaKey onVolume(int otherVolumeId) {
        return new MetaKey(otherVolumeId, generation, size, crc32c);
    }
}
