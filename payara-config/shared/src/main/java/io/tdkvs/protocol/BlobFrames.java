package io.tdkvs.protocol;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Many blobs in one stream, as {@code POST blobs/export} answers and {@code POST blobs/import} takes
 * them, so that a migration moves a batch of keys with one request to each volume. A stream is a
 * sequence of frames, each a header then the blob file as stored (see {@link BlobFile}):
 * <pre>
 * frame   name ({@value BlobName#LENGTH} ASCII bytes) | file length (8 bytes, big-endian; -1: the sender has no such blob) | the file
 * </pre>
 * The stream ends after a whole frame.
 */
public final class BlobFrames {

    private static final long ABSENT = -1;

    private BlobFrames() {
    }

    /** A frame's header: the blob and the length of the file that follows, if the sender had it. */
    public record Header(BlobName name, long fileLength) {

        public boolean present() {
            return fileLength != ABSENT;
        }
    }

    /** Starts a frame; {@code fileLength} bytes of the blob file must follow. */
    public static void writeHeader(DataOutputStream out, BlobName name, long fileLength) throws IOException {
        out.write(name.value().getBytes(StandardCharsets.US_ASCII));
        out.writeLong(fileLength);
    }

    /** A whole frame for a blob the sender does not have. */
    public static void writeAbsent(DataOutputStream out, BlobName name) throws IOException {
        writeHeader(out, name, ABSENT);
    }

    /**
     * The next frame's header; empty at the end of the stream. The caller then reads the file, if present.
     *
     * @throws EOFException      if the stream ends inside a header
     * @throws ProtocolException if the header is not one
     */
    public static Optional<Header> readHeader(DataInputStream in) throws IOException {
        byte[] name = in.readNBytes(BlobName.LENGTH);
        if (name.length == 0) {
            return Optional.empty();
        }
        if (name.length < BlobName.LENGTH) {
            throw new EOFException("the frames broke off in a blob's name");
        }
        BlobName blob = BlobName.parse(new String(name, StandardCharsets.US_ASCII)).orElseThrow(() ->
                new ProtocolException("a frame does not begin with a blob name (<64 hex digits>.<16 hex digits>)"));
        long length;
        try {
            length = in.readLong();
        } catch (EOFException e) {
            throw new EOFException("the frames broke off after the name " + blob);
        }
        if (length < ABSENT) {
            throw new ProtocolException("blob " + blob + " has a negative length");
        }
        return Optional.of(new Header(blob, length));
    }
}
