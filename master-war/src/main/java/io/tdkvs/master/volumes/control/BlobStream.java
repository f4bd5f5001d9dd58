package io.tdkvs.master.volumes.control;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.LongConsumer;

/** A value (or a range of it) being read from a volume. */
public final class BlobStream implements Closeable {

    private final InputStream body;
    private final long size;

    BlobStream(InputStream body, long size) {
        this.body = body;
        this.size = size;
    }

    /** Bytes already in memory (a value the master keeps), as a stream of {@code length} of them from {@code offset}. */
    public static BlobStream of(byte[] bytes, int offset, int length) {
        return new BlobStream(new ByteArrayInputStream(bytes, offset, length), length);
    }

    /** The number of bytes the volume is sending. */
    public long size() {
        return size;
    }

    /** Copies the bytes to {@code out} and closes the stream; tells {@code copied} of every chunk that went out. */
    public void copyTo(OutputStream out, LongConsumer copied) throws IOException {
        try (body) {
            byte[] chunk = new byte[(int) Math.min(VolumeHttp.CHUNK, Math.max(size, 1))];
            long total = 0;
            for (int read; (read = body.read(chunk)) >= 0; ) {
                out.write(chunk, 0, read);
                copied.accept(read);
                total += read;
            }
            if (total != size) {
                throw new IOException("the volume sent " + total + " of " + size + " bytes");
            }
        }
    }

    /** Reads all the bytes (for a small value: at most an int's worth) and closes the stream. */
    public byte[] readAll() throws IOException {
        try (body) {
            byte[] bytes = body.readNBytes(Math.toIntExact(size));
            if (bytes.length != size || body.read() >= 0) {
                throw new IOException("the volume sent " + (bytes.length < size ? bytes.length + " of " : "more than ") + size
                        + " bytes");
            }
            return bytes;
        }
    }

    @Override
    public void close() throws IOException {
        body.close();
    }
}
