package io.tdkvs.master.volumes.control;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32C;

/**
 * A value on its way to a volume: counts its bytes, computes its CRC32C and remembers whether the
 * stream it reads from (the client's request body, or another volume) failed, so a broken upload
 * is told apart from a volume that does not answer.
 */
final class CountingInput extends FilterInputStream {

    private final CRC32C crc = new CRC32C();
    private long count;
    private volatile IOException failure;
    private volatile boolean ended;

    CountingInput(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int read = read(one, 0, 1);
        return read < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int read;
        try {
            read = super.read(buffer, offset, length);
        } catch (IOException e) {
            failure = e;
            throw e;
        }
        if (read > 0) {
            crc.update(buffer, offset, read);
            count += read;
        } else if (read < 0) {
            ended = true;
        }
        return read;
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("skip is not supported");
    }

    long count() {
        return count;
    }

    int crc32c() {
        return (int) crc.getValue();
    }

    IOException failure() {
        return failure;
    }

    /** Whether the stream it reads from has ended. */
    boolean ended() {
        return ended;
    }
}
