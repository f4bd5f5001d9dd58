package io.tdkvs.volume.blobs.control;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import java.util.zip.CRC32C;

import io.tdkvs.protocol.BlobFile;
import io.tdkvs.protocol.BlobFile.CorruptBlobException;
import io.tdkvs.protocol.ByteRange;

/**
 * A blob opened for reading. It reads from the files it opened even if the blob is deleted or
 * replaced meanwhile, so a reader sees one whole value. The value is one region of one file, or, for a
 * composed blob, the regions of its segments one after the other; a segment's file is opened when it is
 * first read or by {@link #openExtents}, which a reader calls for what it will send before it starts.
 * <p>
 * Nothing goes out as good unless the whole value matches its CRC32C: {@link #check()} reads the
 * value and checks it before an answer starts (one of up to a chunk is kept in memory and sent from
 * there), so a damaged value is refused with a status, never sent in part. An answer that has started
 * cannot say "damaged" any more, and some clients take a body cut short of its Content-Length for
 * whole (the JDK's among them), so the check comes first, at the cost of reading a large value twice
 * (the second time from the page cache).
 */
public final class OpenBlob implements Closeable {

    private static final int CHUNK = 64 * 1024;

    /** A region of an open file that holds part of the value, and the CRC32C of its bytes. */
    record Extent(FileChannel file, long offset, long length, int crc32c) {
    }

    /**
     * Opens the extent of a composed blob's segment when it is first read: the file and where in it the
     * value lies, once the file is found to hold the length and CRC32C listed for the segment.
     */
    @FunctionalInterface
    interface Opener {
        Extent open(int index) throws IOException;
    }

    /** The extents, each null until opened. */
    private final Extent[] extents;
    /** Each extent's length and CRC32C, known before its file is opened. */
    private final List<ComposedFile.Segment> segments;
    /** The value's position at which each extent begins. */
    private final long[] starts;
    private final Opener opener;
    private final long size;
    private final int crc32c;
    /** The key, for a composed blob, whose file is not a blob file to send as stored; null for a blob file. */
    private final byte[] composedKey;
    /** A value of up to a chunk, once {@link #check()} has read it. */
    private byte[] value;

    /** The value stored in one blob file. */
    OpenBlob(FileChannel file, long offset, long size, int crc32c) {
        this(List.of(new ComposedFile.Segment(size, crc32c)), index -> {
            throw new IllegalStateException("a blob file's one extent is open");
        }, size, crc32c, null);
        extents[0] = new Extent(file, offset, size, crc32c);
    }

    /**
     * A composed blob's value: its segments' regions one after the other. Each segment's file is opened by
     * {@code opener} when it is first read, or by {@link #openExtents}; closing the blob closes them.
     */
    static OpenBlob composed(byte[] key, List<ComposedFile.Segment> segments, Opener opener, long size, int crc32c) {
        return new OpenBlob(segments, opener, size, crc32c, key);
    }

    private OpenBlob(List<ComposedFile.Segment> segments, Opener opener, long size, int crc32c, byte[] composedKey) {
        this.segments = List.copyOf(segments);
        this.extents = new Extent[segments.size()];
        this.starts = new long[segments.size()];
        long start = 0;
        for (int i = 0; i < starts.length; i++) {
            starts[i] = start;
            start += segments.get(i).size();
        }
        if (start != size) {
            throw new IllegalArgumentException("extents of " + start + " bytes for a value of " + size);
        }
        this.opener = opener;
        this.size = size;
        this.crc32c = crc32c;
        this.composedKey = composedKey;
    }

    /** Opens the extents that hold {@code range} if they are not yet: their files are then read even if the blob is replaced. */
    void openExtents(ByteRange range) throws IOException {
        if (size == 0) {
            openAll();
            return;
        }
        for (int i = indexOf(range.first()), last = indexOf(range.last()); i <= last; i++) {
            opened(i);
        }
    }

    /** Opens every extent. */
    void openAll() throws IOException {
        for (int i = 0; i < extents.length; i++) {
            opened(i);
        }
    }

    /** Extent {@code index}, opened now if it is not yet. */
    private Extent opened(int index) throws IOException {
        Extent extent = extents[index];
        if (extent == null) {
            extent = opener.open(index);
            extents[index] = extent;
        }
        return extent;
    }

    public long size() {
        return size;
    }

    public int crc32c() {
        return crc32c;
    }

    /** Reads the value and checks it against its CRC32C; one of up to a chunk is kept to be sent. */
    void check() throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK, size));
        forEachChunk(0, size, buffer, chunk -> crc.update(chunk.array(), 0, chunk.limit()));
        if ((int) crc.getValue() != crc32c) {
            throw new CorruptBlobException("the value does not match its CRC32C");
        }
        if (size <= CHUNK) {
            value = buffer.array();
        }
    }

    /** How many bytes of the value the extents that hold {@code range} have: all of it for a blob of one file. */
    long spanOfExtents(ByteRange range) {
        int first = indexOf(range.first());
        int last = indexOf(range.last());
        return starts[last] + segments.get(last).size() - starts[first];
    }

    /**
     * Reads the extents that hold {@code range}, and checks each against its own CRC32C: the bytes of a
     * range of a composed blob are good once the segments they lie in are.
     */
    void checkExtents(ByteRange range) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(1, spanOfExtents(range))));
        for (int i = indexOf(range.first()), last = indexOf(range.last()); i <= last; i++) {
            CRC32C crc = new CRC32C();
            forEachChunk(starts[i], segments.get(i).size(), buffer, chunk -> crc.update(chunk.array(), 0, chunk.limit()));
            if ((int) crc.getValue() != segments.get(i).crc32c()) {
                throw new CorruptBlobException("segment " + i + " of the value does not match its CRC32C");
            }
        }
    }

    /**
     * Reads value bytes from {@code position} into {@code buffer}, from one extent: answers how many, or
     * -1 if that extent's file ends early.
     */
    private int read(ByteBuffer buffer, long position) throws IOException {
        int index = indexOf(position);
        Extent extent = opened(index);
        long within = position - starts[index];
        int limit = buffer.limit();
        buffer.limit((int) Math.min(limit, buffer.position() + extent.length() - within));
        try {
            return extent.file().read(buffer, extent.offset() + within);
        } finally {
            buffer.limit(limit);
        }
    }

    /** The extent that holds the value's byte at {@code position}. */
    private int indexOf(long position) {
        int found = java.util.Arrays.binarySearch(starts, position);
        if (found < 0) {
            return -found - 2;
        }
        while (found + 1 < starts.length && starts[found + 1] == position) {
            found++; // empty extents begin where the next one does
        }
        return found;
    }

    /**
     * The value as a stream that checks it against its CRC32C as it is read: the read that reaches its
     * end fails with {@link CorruptBlobException} if they differ. Closing the stream closes the blob.
     */
    public InputStream checkedInput() {
        return new InputStream() {
            private final CRC32C crc = new CRC32C();
            private long position;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int at, int length) throws IOException {
                if (length == 0) {
                    return 0;
                }
                if (position == size) {
                    return -1;
                }
                int read = OpenBlob.this.read(ByteBuffer.wrap(buffer, at, (int) Math.min(length, size - position)), position);
                if (read < 0) {
                    throw new CorruptBlobException("the blob file ends " + (size - position) + " bytes before its value does");
                }
                crc.update(buffer, at, read);
                position += read;
                if (position == size && (int) crc.getValue() != crc32c) {
                    throw new CorruptBlobException("the value does not match its CRC32C");
                }
                return read;
            }

            @Override
            public void close() throws IOException {
                OpenBlob.this.close();
            }
        };
    }

    /** Writes the value to {@code out} and closes the blob. */
    public void copyTo(OutputStream out) throws IOException {
        copyTo(out, 0, size);
    }

    /** Writes a range of the value to {@code out} and closes the blob. */
    public void copyTo(OutputStream out, ByteRange range) throws IOException {
        copyTo(out, range.first(), range.length());
    }

    private void copyTo(OutputStream out, long from, long length) throws IOException {
        try (this) {
            if (value != null) {
                out.write(value, (int) from, (int) length);
                return;
            }
            forEachChunk(from, length, ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(length, 1))),
                    chunk -> out.write(chunk.array(), 0, chunk.limit()));
        }
    }

    /** Reads the value's bytes [from, from + length) a buffer at a time, and hands each to {@code action}. */
    private void forEachChunk(long from, long length, ByteBuffer buffer, Chunk action) throws IOException {
        for (long position = from, end = from + length; position < end; position += buffer.limit()) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
            long at = position;
            while (buffer.hasRemaining()) {
                int read = read(buffer, at);
                if (read < 0) {
                    throw new EOFException("blob file ended early");
                }
                at += read;
            }
            action.accept(buffer.flip());
        }
    }

    private interface Chunk {
        void accept(ByteBuffer chunk) throws IOException;
    }

    /** How long the blob is as a {@link BlobFile}: its file as stored, or a composed blob's as it would be. */
    long storedLength() throws IOException {
        return composedKey == null ? extents[0].file().size() : BlobFile.fileLength(composedKey.length, size);
    }

    /**
     * Writes the blob as a {@link BlobFile} of {@link #storedLength()} bytes: the file as stored, unchecked
     * (the volume that takes it in checks it), or a composed blob's header, its segments' values, and trailer.
     */
    void sendStored(WritableByteChannel out) throws IOException {
        if (composedKey == null) {
            FileChannel file = extents[0].file();
            transfer(file, 0, file.size(), out);
            return;
        }
        writeFully(out, BlobFile.header(composedKey));
        for (int i = 0; i < extents.length; i++) {
            Extent extent = opened(i);
            transfer(extent.file(), extent.offset(), extent.length(), out);
        }
        writeFully(out, BlobFile.trailer(size, crc32c));
    }

    private static void transfer(FileChannel file, long from, long length, WritableByteChannel out) throws IOException {
        for (long sent = 0; sent < length; ) {
            long n = file.transferTo(from + sent, length - sent, out);
            if (n <= 0) {
                throw new EOFException("a blob file shrank while it was sent");
            }
            sent += n;
        }
    }

    private static void writeFully(WritableByteChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    /** Closes the blob; a failure to close a file only read from is of no consequence. */
    public void closeQuietly() {
        try {
            close();
        } catch (IOException e) {
            // only read from
        }
    }

    @Override
    public void close() throws IOException {
        IOException failed = null;
        for (Extent extent : extents) {
            if (extent == null) {
                continue;
            }
            try {
                extent.file().close();
            } catch (IOException e) {
                failed = e;
            }
        }
        if (failed != null) {
            throw failed;
        }
    }
}
