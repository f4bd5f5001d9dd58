package io.tdkvs.master.volumes.control;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** A value being read from a volume. */
public final class BlobStream implements Closeable {

    private static final int CHUNK = 64 * 1024;

    private final InputStream body;
    private final long size;

    BlobStream(InputStream body, long size) {
        this.body = body;
        this.size = size;
    }

    public long size() {
        return size;
    }

    public InputStream body() {
        return body;
    }

    /** Copies the value to {@code out} and closes the stream. */
    public void copyTo(OutputStream out) throws IOException {
        try (body) {
            byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(size, 1))];
            long copied = 0;
            for (int read; (read = body.read(chunk)) >= 0; ) {
                out.write(chunk, 0, read);
                copied += read;
            }
            if (copied != size) {
                throw new IOException("the volume sent " + copied + " of " + size + " bytes");
            }
        }
    }

    @Override
    public void close() throws IOException {
        body.close();
    }
}
