package io.tdkvs.protocol;

import java.util.Arrays;

/**
 * What a volume knows of a stored blob: its name, the value's size and CRC32C, and the key it holds.
 * In a volume's listing ({@code GET blobs}) it is a line, {@code <name> <size> <crc32c> <key>}, the size
 * in decimal, the CRC32C and the key as in headers (see {@link VolumeApi}). The key makes the index
 * rebuildable from the listings alone.
 *
 * @param key the key's UTF-8 bytes
 */
public record BlobInfo(BlobName name, long size, int crc32c, byte[] key) {

    public String line() {
        return name + " " + size + " " + VolumeApi.crc32cHeader(crc32c) + " " + VolumeApi.keyHeader(key);
    }

    /** @throws ProtocolException if the line is not a listing line */
    public static BlobInfo parse(String line) {
        String[] fields = line.split(" ", -1);
        if (fields.length == 4) {
            try {
                return new BlobInfo(new BlobName(fields[0]), Long.parseLong(fields[1]),
                        VolumeApi.crc32cFromHeader(fields[2]), VolumeApi.keyFromHeader(fields[3]));
            } catch (IllegalArgumentException | ProtocolException e) {
                // reported below
            }
        }
        throw new ProtocolException("not a line of a blob listing: \"" + line + "\"");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BlobInfo blob && blob.name.equals(name) && blob.size == size && blob.crc32c == crc32c
                && Arrays.equals(blob.key, key);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return line();
    }
}
