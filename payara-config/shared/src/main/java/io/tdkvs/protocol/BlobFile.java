package io.tdkvs.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The layout of one blob file, and the only code that knows it:
 * <pre>
 * header   "TDKV" | version (1 byte, = 1) | key length (4 bytes) | key (UTF-8)
 * value    the bytes, as sent
 * trailer  value length (8 bytes) | CRC32C of the value (4 bytes) | "TDKV"
 * </pre>
 * All numbers are big-endian. The key travels with the value so that the master's index can be
 * rebuilt from the volumes alone; the trailer lets a reader tell a whole file from a damaged one.
 * Volumes send each other blobs in this form, as stored (see {@link BlobFrames}).
 */
public final class BlobFile {

    public static final int TRAILER_BYTES = 16;
    public static final int MAX_KEY_BYTES = 1 << 20;

    private static final byte[] MAGIC = "TDKV".getBytes(StandardCharsets.US_ASCII);
    private static final byte VERSION = 1;
    private static final int FIXED_HEADER_BYTES = MAGIC.length + 1 + 4;
    private static final int CHUNK = 64 * 1024;

    private BlobFile() {
    }

    public static ByteBuffer header(byte[] key) {
        return ByteBuffer.allocate(FIXED_HEADER_BYTES + key.length)
                .put(MAGIC).put(VERSION).putInt(key.length).put(key).flip();
    }

    public static ByteBuffer trailer(long size, int crc32c) {
        return ByteBuffer.allocate(TRAILER_BYTES).putLong(size).putInt(crc32c).put(MAGIC).flip();
    }

    /** How long the file of a blob is: header, value and trailer. */
    public static long fileLength(int keyLength, long size) {
        return FIXED_HEADER_BYTES + (long) keyLength + size + TRAILER_BYTES;
    }

    /** Reads the header and trailer of an open blob file. */
    public static Layout read(FileChannel file) throws IOException {
        long fileSize = file.size();
        int keyLength = keyLength(readFully(file, 0, FIXED_HEADER_BYTES, fileSize));
        long valueOffset = FIXED_HEADER_BYTES + (long) keyLength;
        long size = fileSize - valueOffset - TRAILER_BYTES;
        if (size < 0) {
            throw new CorruptBlobException("file is shorter than its header and trailer");
        }
        byte[] key = new byte[keyLength];
        readFully(file, FIXED_HEADER_BYTES, keyLength, fileSize).get(key);
        int crc32c = crc32cOf(readFully(file, fileSize - TRAILER_BYTES, TRAILER_BYTES, fileSize), size);
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

    /**
     * Copies one whole blob file of {@code fileLength} bytes from {@code in} to {@code out}, checking
     * as it goes that it is one: header, value, and a trailer that matches the value's length and
     * CRC32C. Used to take in blobs that another volume sends as they are stored.
     *
     * @throws CorruptBlobException if the bytes are not a whole blob file
     * @throws EOFException         if {@code in} ends early
     */
    public static Layout copyChecked(InputStream in, long fileLength, FileChannel out) throws IOException {
        if (fileLength <= CHUNK) {
            return copySmall(in, (int) fileLength, out);
        }
        ByteBuffer fixed = ByteBuffer.wrap(readExactly(in, FIXED_HEADER_BYTES));
        int keyLength = keyLength(fixed);
        long size = fileLength - FIXED_HEADER_BYTES - keyLength - TRAILER_BYTES;
        if (size < 0) {
            throw new CorruptBlobException("shorter than its header and trailer");
        }
        byte[] key = readExactly(in, keyLength);
        writeFully(out, fixed.flip(), ByteBuffer.wrap(key));
        CRC32C crc = new CRC32C();
        byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(size, 1))];
        for (long left = size; left > 0; ) {
            int read = in.read(chunk, 0, (int) Math.min(chunk.length, left));
            if (read < 0) {
                throw new EOFException("the blob ended after " + (size - left) + " of " + size + " value bytes");
            }
            crc.update(chunk, 0, read);
            writeFully(out, ByteBuffer.wrap(chunk, 0, read));
            left -= read;
        }
        ByteBuffer trailer = ByteBuffer.wrap(readExactly(in, TRAILER_BYTES));
        int crc32c = crc32cOf(trailer, size);
        if (crc32c != (int) crc.getValue()) {
            throw new CorruptBlobException("the value does not match its CRC32C");
        }
        writeFully(out, trailer.flip());
        return new Layout(key, FIXED_HEADER_BYTES + (long) keyLength, size, crc32c);
    }

    /** {@link #copyChecked} of a file of at most one chunk: read whole, checked, then written with one call. */
    private static Layout copySmall(InputStream in, int fileLength, FileChannel out) throws IOException {
        byte[] file = readExactly(in, fileLength);
        if (fileLength < FIXED_HEADER_BYTES + TRAILER_BYTES) {
            throw new CorruptBlobException("shorter than its header and trailer");
        }
        int keyLength = keyLength(ByteBuffer.wrap(file, 0, FIXED_HEADER_BYTES));
        int valueOffset = FIXED_HEADER_BYTES + keyLength;
        int size = fileLength - valueOffset - TRAILER_BYTES;
        if (size < 0) {
            throw new CorruptBlobException("shorter than its header and trailer");
        }
        CRC32C crc = new CRC32C();
        crc.update(file, valueOffset, size);
        int crc32c = crc32cOf(ByteBuffer.wrap(file, valueOffset + size, TRAILER_BYTES), size);
        if (crc32c != (int) crc.getValue()) {
            throw new CorruptBlobException("the value does not match its CRC32C");
        }
        writeFully(out, ByteBuffer.wrap(file));
        return new Layout(Arrays.copyOfRange(file, FIXED_HEADER_BYTES, valueOffset), valueOffset, size, crc32c);
    }

    /** Checks a trailer against the value's length; answers the CRC32C it records. */
    private static int crc32cOf(ByteBuffer trailer, long size) throws CorruptBlobException {
        long recordedSize = trailer.getLong();
        int crc32c = trailer.getInt();
        byte[] magic = new byte[MAGIC.length];
        trailer.get(magic);
        if (recordedSize != size || !Arrays.equals(magic, MAGIC)) {
            throw new CorruptBlobException("trailer does not match the blob's length");
        }
        return crc32c;
    }

    /** Checks the fixed part of a header (magic, version); answers the key length it gives. */
    private static int keyLength(ByteBuffer fixed) throws CorruptBlobException {
        byte[] magic = new byte[MAGIC.length];
        fixed.get(magic);
        byte version = fixed.get();
        int keyLength = fixed.getInt();
        if (!Arrays.equals(magic, MAGIC) || version != VERSION || keyLength < 0 || keyLength > MAX_KEY_BYTES) {
            throw new CorruptBlobException("unknown header");
        }
        return keyLength;
    }

    private static byte[] readExactly(InputStream in, int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new EOFException("the blob ended early");
        }
        return bytes;
    }

    /** Writes every byte of the buffers, in order, in as few system calls as the file takes them. */
    public static void writeFully(FileChannel file, ByteBuffer... buffers) throws IOException {
        long left = 0;
        for (ByteBuffer buffer : buffers) {
            left += buffer.remaining();
        }
        while (left > 0) {
            left -= file.write(buffers);
        }
    }

    /** Where the value sits in a blob file, and what the file says of it. */
    public record Layout(byte[] key, long valueOffset, long size, int crc32c) {
    }

    /** A file in the store that is not a whole blob. */
    public static final class CorruptBlobException extends IOException {
        private static final long serialVersionUID = 1L;

        public CorruptBlobException(String reason) {
            super(reason);
        }
    }
}
