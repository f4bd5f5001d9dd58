package io.tdkvs.protocol;

import java.util.Arrays;

/**
 * What a volume knows of a stored blob: its name, the value's size and CRC32C, the key it holds, and
 * when its file was written. In a volume's listing ({@code GET blobs}) it is a line,
 * {@code <name> <size> <crc32c> <key> <modified>}, the size and the time (milliseconds since the epoch)
 * in decimal, the CRC32C and the key as in headers (see {@link VolumeApi}); a line without the time
 * (a volume of an earlier release) reads as time 0, unknown. The key makes the index rebuildable from
 * the listings alone, and the time gives the rebuilt values a time of writing.
 *
 * @param key      the key's UTF-8 bytes
 * @param modified when the blob's file was written, in milliseconds since the epoch; 0 if unknown
 */
public record BlobInfo(BlobName name, long size, int crc32c, byte[] key, long modified) {

    /** A blob just stored, or one whose time does not matter where it is used. */
    public BlobInfo(BlobName name, long size, int crc32c, byte[] key) {
        this(name, size, crc32c, key, 0);
    }

    public String line() {
        return name + " " + size + " " + VolumeApi.crc32cHeader(crc32c) + " " + VolumeApi.keyHeader(key) + " " + modified;
    }

    /** @throws ProtocolException if the line is not a listing line */
    public static BlobInfo parse(String line) {
        String[] fields = line.split(" ", -1);
        if (fields.length == 4 || fields.length == 5) {
            try {
                long modified = fields.length == 5 ? Long.parseLong(fields[4]) : 0;
                if (modified >= 0) {
                    return new BlobInfo(new BlobName(fields[0]), Long.parseLong(fields[1]),
                            VolumeApi.crc32cFromHeader(fields[2]), VolumeApi.keyFromHeader(fields[3]), modified);
                }
            } catch (IllegalArgumentException | ProtocolException e) {
                // reported below
            }
        }
        throw new ProtocolException("not a line of a blob listing: \"" + line + "\"");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BlobInfo blob && blob.name.equals(name) && blob.size == size && blob.crc32c == crc32c
                && Arrays.equals(blob.key, key) && blob.modified == modified;
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
