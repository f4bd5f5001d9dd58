package io.tdkvs.volume.blobs.control;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tdkvs.protocol.BlobFrames;
import io.tdkvs.protocol.BlobName;
import io.tdkvs.protocol.Imported;
import io.tdkvs.protocol.ProtocolException;
import io.tdkvs.volume.errors.Reason;
import io.tdkvs.volume.errors.VolumeException;

/**
 * Sends and takes in many blobs as one stream of {@link BlobFrames}, as stored, nothing decoded, so a
 * migration moves a batch of keys with one request to each volume. The receiver checks each file
 * whole (header, length, CRC32C) before it keeps any, and keeps them all durably before it answers.
 */
@Singleton
public class BlobTransfer {

    @Inject
    BlobStore store;

    /** Writes the frames of the named blobs; a blob this volume lacks gets an absent frame. */
    public void send(List<BlobName> names, OutputStream out) throws IOException {
        DataOutputStream frames = new DataOutputStream(out);
        WritableByteChannel body = Channels.newChannel(out);
        for (BlobName name : names) {
            Optional<OpenBlob> blob = storedOrAbsent(name);
            if (blob.isEmpty()) {
                BlobFrames.writeAbsent(frames, name);
                continue;
            }
            try (OpenBlob open = blob.get()) {
                BlobFrames.writeHeader(frames, name, open.storedLength());
                frames.flush();
                open.sendStored(body);
            }
        }
        frames.flush();
    }

    /** A blob to send; absent if there is none, or none whole enough to say what it holds (damaged: the store notes it). */
    private Optional<OpenBlob> storedOrAbsent(BlobName name) {
        try {
            return store.open(name);
        } catch (VolumeException e) {
            if (e.reason() == Reason.CORRUPT_BLOB) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Reads frames to their end, stores every blob in them, and answers what it did with each. */
    public List<Imported> receive(InputStream in) {
        DataInputStream frames = new DataInputStream(new BrokenOffAsEof(in));
        List<Imported> received = new ArrayList<>();
        List<BlobStore.Staged> staged = new ArrayList<>();
        try {
            for (Optional<BlobFrames.Header> frame; (frame = readHeader(frames)).isPresent(); ) {
                BlobName name = frame.get().name();
                if (!frame.get().present()) {
                    received.add(Imported.absent(name));
                    continue;
                }
                BlobStore.Staged blob = store.stage(name, frames, frame.get().fileLength());
                staged.add(blob);
                received.add(Imported.stored(name, blob.info().size(), blob.info().crc32c()));
            }
        } catch (RuntimeException e) {
            store.discard(staged);
            throw e;
        }
        store.place(staged);
        return received;
    }

    private static Optional<BlobFrames.Header> readHeader(DataInputStream frames) {
        try {
            return BlobFrames.readHeader(frames);
        } catch (ProtocolException e) {
            throw new VolumeException(Reason.MALFORMED_BODY, e.getMessage(), e);
        } catch (IOException e) {
            throw new VolumeException(Reason.BODY_BROKE_OFF, "the request body broke off: " + e.getMessage(), e);
        }
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
}
