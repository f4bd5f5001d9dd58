package io.tdkvs.volume.blobs.control;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.tdkvs.protocol.BlobFile;
import io.tdkvs.protocol.BlobFile.CorruptBlobException;

/**
 * The layout of a composed blob's file, and the only code that knows it. A composed blob's value is the
 * values of other blob files, its segments, one after the other ({@link Segments}); its file names their
 * sizes and checks, and holds none of their bytes:
 * <pre>
 * header    "TDKC" | version (1 byte, = 1) | key length (4 bytes) | key (UTF-8) | stamp (8 bytes) | segment count (4 bytes)
 * segments  per segment: value length (8 bytes) | CRC32C of the value (4 bytes)
 * trailer   value length (8 bytes) | CRC32C of the value (4 bytes) | "TDKC"
 * </pre>
 * All numbers are big-endian. The stamp tells this composition's segments from those of an earlier one
 * of the same name. The trailer's length is the sum of the segments', and its CRC32C their combination
 * ({@link Crc32cs}), so a reader tells a whole file from a damaged one. It never leaves the volume:
 * another volume is sent the blob as a {@link BlobFile}, its value read from the segments.
 */
final class ComposedFile {

    static final int MAX_SEGMENTS = 10_000;

    private static final byte[] MAGIC = "TDKC".getBytes(StandardCharsets.US_ASCII);
    private static final byte VERSION = 1;
    private static final int FIXED_HEADER_BYTES = MAGIC.length + 1 + 4;
    private static final int SEGMENT_BYTES = 12;
    private static final int TRAILER_BYTES = 16;

    private ComposedFile() {
    }

    /** A segment as the composed file records it. */
    record Segment(long size, int crc32c) {
    }

    /** What a composed blob's file says: its key, stamp and segments, and its value's length and CRC32C. */
    record Layout(byte[] key, long stamp, List<Segment> segments, long size, int crc32c) {

        Layout {
            segments = List.copyOf(segments);
        }

        /** The layout of the value of {@code segments} one after the other. */
        static Layout of(byte[] key, long stamp, List<Segment> segments) {
            long size = 0;
            int crc32c = 0;
            long shifted = -1;
            Crc32cs.Shift shift = null;
            for (Segment segment : segments) {
                if (segment.size() != shifted) { // the parts of an upload have one size but the last
                    shift = Crc32cs.shift(segment.size());
                    shifted = segment.size();
                }
                crc32c = Crc32cs.combine(crc32c, segment.crc32c(), shift);
                size += segment.size();
            }
            return new Layout(key, stamp, segments, size, crc32c);
        }
    }

    /** The whole file of a layout. */
    static ByteBuffer format(Layout layout) {
        ByteBuffer file = ByteBuffer.allocate(FIXED_HEADER_BYTES + layout.key().length + 12
                + SEGMENT_BYTES * layout.segments().size() + TRAILER_BYTES);
        file.put(MAGIC).put(VERSION).putInt(layout.key().length).put(layout.key())
                .putLong(layout.stamp()).putInt(layout.segments().size());
        for (Segment segment : layout.segments()) {
            file.putLong(segment.size()).putInt(segment.crc32c());
        }
        return file.putLong(layout.size()).putInt(layout.crc32c()).put(MAGIC).flip();
    }

    /** Whether an open file in the store is a composed blob's (rather than a {@link BlobFile}). */
    static boolean is(FileChannel file) throws IOException {
        ByteBuffer magic = ByteBuffer.allocate(MAGIC.length);
        while (magic.hasRemaining()) {
            if (file.read(magic, magic.position()) < 0) {
                return false;
            }
        }
        return Arrays.equals(magic.array(), MAGIC);
    }

    /**
     * Reads a composed blob's file.
     *
     * @throws CorruptBlobException if it is not a whole one
     */
    static Layout read(FileChannel file) throws IOException {
        long length = file.size();
        long largest = FIXED_HEADER_BYTES + BlobFile.MAX_KEY_BYTES + 12 + (long) SEGMENT_BYTES * MAX_SEGMENTS + TRAILER_BYTES;
        if (length > largest) {
            throw new CorruptBlobException("a composed blob's file of " + length + " bytes, more than any can have");
        }
        ByteBuffer bytes = ByteBuffer.allocate((int) length);
        while (bytes.hasRemaining()) {
            if (file.read(bytes, bytes.position()) < 0) {
                throw new CorruptBlobException("file is truncated");
            }
        }
        try {
            return parse(bytes.flip());
        } catch (java.nio.BufferUnderflowException e) {
            throw new CorruptBlobException("file is truncated");
        }
    }

    private static Layout parse(ByteBuffer file) throws CorruptBlobException {
        byte[] magic = new byte[MAGIC.length];
        file.get(magic);
        byte version = file.get();
        int keyLength = file.getInt();
        if (!Arrays.equals(magic, MAGIC) || version != VERSION || keyLength < 0 || keyLength > BlobFile.MAX_KEY_BYTES
                || keyLength > file.remaining()) {
            throw new CorruptBlobException("unknown header");
        }
        byte[] key = new byte[keyLength];
        file.get(key);
        long stamp = file.getLong();
        int count = file.getInt();
        if (count < 1 || count > MAX_SEGMENTS || (long) count * SEGMENT_BYTES + TRAILER_BYTES != file.remaining()) {
            throw new CorruptBlobException("the segment list does not fit the file");
        }
        List<Segment> segments = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long size = file.getLong();
            int crc32c = file.getInt();
            if (size < 0) {
                throw new CorruptBlobException("segment " + i + " has a length below 0");
            }
            segments.add(new Segment(size, crc32c));
        }
        Layout layout = Layout.of(key, stamp, segments);
        long size = file.getLong();
        int crc32c = file.getInt();
        file.get(magic);
        if (size != layout.size() || crc32c != layout.crc32c() || !Arrays.equals(magic, MAGIC)) {
            throw new CorruptBlobException("the trailer does not match the segments");
        }
        return layout;
    }
}
