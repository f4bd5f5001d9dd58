package io.tdkvs.volume.blobs.control;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.tdkvs.volume.blobs.entity.BlobName;
import io.tdkvs.volume.errors.Reason;
import io.tdkvs.volume.errors.VolumeException;

/**
 * Many blobs in one stream, so a migration moves a batch of keys with one request to each volume
 * instead of three per key. The stream is a sequence of frames, as stored, nothing decoded:
 * <pre>
 * frame   name (81 ASCII bytes) | file length (8 bytes, big-endian; -1: the sender has no such blob) | the blob file
 * </pre>
 * It ends at the end of a frame. The receiver checks each file whole (header, length, CRC32C)
 * before it keeps any, and keeps them all durably before it answers.
 */
@ApplicationScoped
public class BlobTransfer {

    private static final int NAME_BYTES = 81;
    private static final long ABSENT = -1;

    @Inject
    BlobStore store;

    /** What the receiver did with one frame: stored the blob (with its value's size and CRC32C) or noted it absent. */
    public record Received(BlobName name, boolean present, long size, int crc32c) {
    }

    /** Writes the frames of the named blobs; a blob this volume lacks gets an absent frame. */
    public void send(List<BlobName> names, OutputStream out) throws IOException {
        DataOutputStream frames = new DataOutputStream(out);
        WritableByteChannel body = Channels.newChannel(out);
        for (BlobName name : names) {
            frames.write(name.value().getBytes(StandardCharsets.US_ASCII));
            Optional<FileChannel> file = store.openFile(name);
            if (file.isEmpty()) {
                frames.writeLong(ABSENT);
                continue;
            }
            try (FileChannel channel = file.get()) {
                long length = channel.size();
                frames.writeLong(length);
                frames.flush();
                long sent = 0;
                while (sent < length) {
                    long n = channel.transferTo(sent, length - sent, body);
                    if (n <= 0) {
                        throw new IOException("blob " + name + " shrank while it was sent");
                    }
                    sent += n;
                }
            }
        }
        frames.flush();
    }

    /** Reads frames to their end, stores every blob in them, and answers what it received. */
    public List<Received> receive(InputStream in) {
        DataInputStream frames = new DataInputStream(new BrokenOffAsEof(in));
        List<Received> received = new ArrayList<>();
        List<BlobStore.Staged> staged = new ArrayList<>();
        try {
            for (Optional<BlobName> name; (name = readName(frames)).isPresent(); ) {
                long length = readLength(frames, name.get());
                if (length == ABSENT) {
                    received.add(new Received(name.get(), false, 0, 0));
                    continue;
                }
                BlobStore.Staged blob = store.stage(name.get(), frames, length);
                staged.add(blob);
                received.add(new Received(name.get(), true, blob.info().size(), blob.info().crc32c()));
            }
        } catch (RuntimeException e) {
            store.discard(staged);
            throw e;
        }
        store.place(staged);
        return received;
    }

    private static Optional<BlobName> readName(DataInputStream frames) {
        byte[] name;
        try {
            name = frames.readNBytes(NAME_BYTES);
        } catch (IOException e) {
            throw brokenOff(e);
        }
        if (name.length == 0) {
            return Optional.empty();
        }
        String text = new String(name, StandardCharsets.US_ASCII);
        if (name.length < NAME_BYTES) {
            throw new VolumeException(Reason.INCOMPLETE_BODY, "the request body broke off in a frame's name");
        }
        return Optional.of(BlobName.parse(text).orElseThrow(() -> new VolumeException(Reason.BAD_REQUEST,
                "a frame does not begin with a blob name (<64 hex digits>.<16 hex digits>)")));
    }

    private static long readLength(DataInputStream frames, BlobName name) {
        long length;
        try {
            length = frames.readLong();
        } catch (EOFException e) {
            throw new VolumeException(Reason.INCOMPLETE_BODY, "the request body broke off after the name " + name, e);
        } catch (IOException e) {
            throw brokenOff(e);
        }
        if (length < ABSENT) {
            throw new VolumeException(Reason.BAD_REQUEST, "blob " + name + " has a negative length");
        }
        return length;
    }

    /** Tells a request body that broke off (an EOF) from a failure of this volume's disk. */
    private static final class BrokenOffAsEof extends FilterInputStream {

        BrokenOffAsEof(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (EOFException e) {
                throw e;
            } catch (IOException e) {
                throw eof(e);
            }
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            try {
                return super.read(bytes, offset, length);
            } catch (EOFException e) {
                throw e;
            } catch (IOException e) {
                throw eof(e);
            }
        }

        private static EOFException eof(IOException e) {
            EOFException eof = new EOFException("the request body broke off: " + e.getMessage());
            eof.initCause(e);
            return eof;
        }
    }

    private static VolumeException brokenOff(IOException e) {
        return new VolumeException(Reason.INCOMPLETE_BODY, "the request body broke off: " + e.getMessage(), e);
    }
}
