package io.tdkvs.master.volumes.control;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.LongConsumer;

/** A value (or a range of it) being read from a volume. */
public final class BlobStream implements Closeable {

    private static final int CHUNK = 64 * 1024;

    private final InputStream body;
    private final long size;

    BlobStream(InputStream body, long size) {
        this.body = body;
        this.size = size;
    }

    /** The number of bytes the volume is sending. */
    public long size() {
        return size;
    }

    /** Copies the bytes to {@code out} and closes the stream; tells {@code copied} of every chunk that went out. */
    public void copyTo(OutputStream out, LongConsumer copied) throws IOException {
        try (body) {
            byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(size, 1))];
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

    @Override
    public void close() throws IOException {
        body.close();
    }
}
