package io.tdkvs.volume.blobs.control;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

import io.tdkvs.protocol.BlobFile.CorruptBlobException;
import io.tdkvs.protocol.ByteRange;

/**
 * A blob opened for reading. It reads from the file it opened even if the blob is deleted or
 * replaced meanwhile, so a reader sees one whole value.
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

    private final FileChannel file;
    private final long offset;
    private final long size;
    private final int crc32c;
    /** A value of up to a chunk, once {@link #check()} has read it. */
    private byte[] value;

    OpenBlob(FileChannel file, long offset, long size, int crc32c) {
        this.file = file;
        this.offset = offset;
        this.size = size;
        this.crc32c = crc32c;
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
                int read = file.read(ByteBuffer.wrap(buffer, at, (int) Math.min(length, size - position)), offset + position);
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
            long at = offset + position;
            while (buffer.hasRemaining()) {
                int read = file.read(buffer, at);
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
        file.close();
    }
}
