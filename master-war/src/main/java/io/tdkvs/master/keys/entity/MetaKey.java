package io.tdkvs.master.keys.entity;

import java.util.HexFormat;

/**
 * Where a key's value lives: the volume (by its permanent id), the generation of the write that
 * stored it, and the value's size and CRC32C as the volume confirmed them.
 */
public record MetaKey(int volumeId, long generation, long size, int crc32c) {

    /** The name of the value's blob on its volume: {@code <sha-256 of the key>.<generation>}. */
    public String blobName(Key key) {
        return blobName(key, generation);
    }

    public static String blobName(Key key, long generation) {
        return key.sha256Hex() + "." + HexFormat.of().toHexDigits(generation);
    }

    public MetaKey onVolume(int otherVolumeId) {
        return new MetaKey(otherVolumeId, generation, size, crc32c);
    }
}
