package io.tdkvs.master.volumes.control;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * A value (or a range of it) being read from a volume. A read that breaks off mid-way, a volume that
 * stops sending or ends its answer early, can go on from elsewhere ({@link #continuedBy}).
 */
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

    /** Where a read that broke off goes on: the rest of the bytes, from elsewhere. */
    @FunctionalInterface
    public interface Continuation {

        /**
         * The bytes after the first {@code read} ones, or empty if nothing else can send them (then
         * {@code failure} ends the read).
         */
        Optional<BlobStream> after(long read, IOException failure);
    }

    /**
     * This stream, which goes on with what {@code next} gives wherever a read of it fails or it ends
     * short of its size; the stream given must hold exactly the bytes still to come.
     */
    public BlobStream continuedBy(Continuation next) {
        return new BlobStream(new Continued(body, size, next), size);
    }

    /** The bytes as a stream, for a reader that is not a response (a copy); closing it closes this. */
    public InputStream input() {
        return body;
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

    /** Closes the stream, unread: a failure to close is of no interest to a reader that gives up on it. */
    public void discard() {
        try {
            body.close();
        } catch (IOException e) {
            // the connection goes away either way
        }
    }

    /** The bytes of one stream and then of the streams that take over where each broke off. */
    private static final class Continued extends InputStream {

        private final long size;
        private final Continuation next;
        private InputStream current;
        private long read;

        Continued(InputStream first, long size, Continuation next) {
            this.current = first;
            this.size = size;
            this.next = next;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            while (true) {
                try {
                    int n = current.read(buffer, offset, length);
                    if (n < 0 && read < size) {
                        throw new EOFException("the answer ended after " + read + " of " + size + " bytes");
                    }
                    read += Math.max(n, 0);
                    return n;
                } catch (IOException e) {
                    takeOver(e);
                }
            }
        }

        private void takeOver(IOException failure) throws IOException {
            try {
                current.close();
            } catch (IOException closing) {
                failure.addSuppressed(closing);
            }
            Optional<BlobStream> rest = next.after(read, failure);
            if (rest.isEmpty()) {
                throw failure;
            }
            if (rest.get().size != size - read) {
                rest.get().close();
                throw new IOException("the read broke off after " + read + " of " + size + " bytes, and the copy that was to go on"
                        + " offered " + rest.get().size + " bytes instead of " + (size - read), failure);
            }
            current = rest.get().body;
        }

        @Override
        public void close() throws IOException {
            current.close();
        }
    }
}
