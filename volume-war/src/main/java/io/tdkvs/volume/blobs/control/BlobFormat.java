package io.tdkvs.volume.blobs.control;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * The layout of one blob file, and the only code that knows it:
 * <pre>
 * header   "TDKV" | version (1 byte, = 1) | key length (4 bytes) | key (UTF-8)
 * value    the bytes, as sent
 * trailer  value length (8 bytes) | CRC32C of the value (4 bytes) | "TDKV"
 * </pre>
 * All numbers are big-endian. The key travels with the value so that the master's index can be
 * rebuilt from the volumes alone; the trailer lets a reader tell a whole file from a damaged one.
 */
final class BlobFormat {

    static final int TRAILER_BYTES = 16;
    static final int MAX_KEY_BYTES = 1 << 20;

    private static final byte[] MAGIC = "TDKV".getBytes(StandardCharsets.US_ASCII);
    private static final byte VERSION = 1;
    private static final int FIXED_HEADER_BYTES = MAGIC.length + 1 + 4;

    private BlobFormat() {
    }

    static ByteBuffer header(byte[] key) {
        return ByteBuffer.allocate(FIXED_HEADER_BYTES + key.length)
                .put(MAGIC).put(VERSION).putInt(key.length).put(key).flip();
    }

    static ByteBuffer trailer(long size, int crc32c) {
        return ByteBuffer.allocate(TRAILER_BYTES).putLong(size).putInt(crc32c).put(MAGIC).flip();
    }

    /** Reads the header and trailer of an open blob file. */
    static Layout read(FileChannel file) throws IOException {
        long fileSize = file.size();
        ByteBuffer fixed = readFully(file, 0, FIXED_HEADER_BYTES, fileSize);
        byte[] magic = new byte[MAGIC.length];
        fixed.get(magic);
        byte version = fixed.get();
        int keyLength = fixed.getInt();
        if (!java.util.Arrays.equals(magic, MAGIC) || version != VERSION || keyLength < 0 || keyLength > MAX_KEY_BYTES) {
            throw new CorruptBlobException("unknown header");
        }
        long valueOffset = FIXED_HEADER_BYTES + (long) keyLength;
        long size = fileSize - valueOffset - TRAILER_BYTES;
        if (size < 0) {
            throw new CorruptBlobException("file is shorter than its header and trailer");
        }
        byte[] key = new byte[keyLength];
        readFully(file, FIXED_HEADER_BYTES, keyLength, fileSize).get(key);
        ByteBuffer trailer = readFully(file, fileSize - TRAILER_BYTES, TRAILER_BYTES, fileSize);
        long recordedSize = trailer.getLong();
        int crc32c = trailer.getInt();
        trailer.get(magic);
        if (recordedSize != size || !java.util.Arrays.equals(magic, MAGIC)) {
            throw new CorruptBlobException("trailer does not match the file's length");
        }
        return new Layout(key, valueOffset, size, crc32c);
    }

    private static ByteBuffer readFully(FileChannel file, long position, int length, long fileSize) throws IOException {
        if (position + length > fileSize) {
            throw new CorruptBlobException("file is truncated");
        }
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (file.read(buffer, position + buffer.position()) < 0) {
                throw new CorruptBlobException("file is truncated");
            }
        }
        return buffer.flip();
    }

    /** Where the value sits in a blob file, and what the file says of it. */
    record Layout(byte[] key, long valueOffset, long size, int crc32c) {
    }

    /** A file in the store that is not a whole blob. */
    static final class CorruptBlobException extends IOException {
        private static final long serialVersionUID = 1L;

        CorruptBlobException(String reason) {
            super(reason);
        }
    }
}
