package io.tdkvs.volume.blobs.control;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

import io.tdkvs.protocol.ByteRange;

/**
 * A blob opened for reading. It reads from the file it opened even if the blob is deleted or
 * replaced meanwhile, so a reader sees one whole value.
 */
public final class OpenBlob implements Closeable {

    private static final int CHUNK = 64 * 1024;

    private final FileChannel file;
    private final long offset;
    private final long size;
    private final int crc32c;

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
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(length, 1)));
            long position = offset + from;
            long end = position + length;
            while (position < end) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
                int read = file.read(buffer, position);
                if (read < 0) {
                    throw new IOException("blob file ended early");
                }
                out.write(buffer.array(), 0, read);
                position += read;
            }
        }
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
