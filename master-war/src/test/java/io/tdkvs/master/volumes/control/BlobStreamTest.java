package io.tdkvs.master.volumes.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class BlobStreamTest {

    private static final byte[] VALUE = value(300_000);

    @Test
    void aReadThatStopsGoesOnFromTheNextStreamAtTheByteItReached() throws IOException {
        List<Long> asked = new ArrayList<>();
        BlobStream stream = new BlobStream(failingAfter(100_000, new SocketTimeoutException("Read timed out")), VALUE.length)
                .continuedBy((read, failure) -> {
                    asked.add(read);
                    return Optional.of(rest(read));
                });

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        stream.copyTo(out, n -> { });

        assertArrayEquals(VALUE, out.toByteArray());
        assertEquals(List.of(100_000L), asked);
    }

    @Test
    void anAnswerThatEndsShortIsABreakTooAndEachTakeOverCanBreakAgain() throws IOException {
        List<Long> asked = new ArrayList<>();
        BlobStream stream = new BlobStream(new ByteArrayInputStream(VALUE, 0, 70_000), VALUE.length)
                .continuedBy((read, failure) -> {
                    asked.add(read);
                    assertTrue(failure instanceof EOFException, failure.toString());
                    // the second copy ends short too, 50,000 bytes later; the third sends the rest
                    return Optional.of(read == 70_000
                            ? new BlobStream(new ByteArrayInputStream(VALUE, 70_000, 50_000), VALUE.length - read)
                            : rest(read));
                });

        assertArrayEquals(VALUE, stream.readAll());
        assertEquals(List.of(70_000L, 120_000L), asked);
    }

    @Test
    void withNowhereToGoOnTheReadFailsWithItsOwnCause() {
        SocketTimeoutException timeout = new SocketTimeoutException("Read timed out");
        BlobStream stream = new BlobStream(failingAfter(10, timeout), VALUE.length).continuedBy((read, failure) -> Optional.empty());

        IOException thrown = assertThrows(IOException.class, () -> stream.copyTo(OutputStream.nullOutputStream(), n -> { }));
        assertSame(timeout, thrown);
    }

    @Test
    void aTakeOverOfAnotherLengthIsRefused() {
        BlobStream stream = new BlobStream(failingAfter(10, new IOException("Connection reset")), VALUE.length)
                .continuedBy((read, failure) -> Optional.of(rest(read - 1)));

        IOException thrown = assertThrows(IOException.class, stream::readAll);
        assertTrue(thrown.getMessage().contains("instead of " + (VALUE.length - 10)), thrown.getMessage());
    }

    @Test
    void aStreamThatDoesNotBreakNeverAsks() throws IOException {
        BlobStream stream = new BlobStream(new ByteArrayInputStream(VALUE), VALUE.length).continuedBy((read, failure) -> {
            throw new AssertionError("asked to go on after " + read);
        });

        assertArrayEquals(VALUE, stream.readAll());
    }

    private static BlobStream rest(long from) {
        return new BlobStream(new ByteArrayInputStream(VALUE, (int) from, VALUE.length - (int) from), VALUE.length - from);
    }

    /** The value's first {@code good} bytes, then {@code failure}. */
    private static InputStream failingAfter(int good, IOException failure) {
        return new InputStream() {
            private int position;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (position >= good) {
                    throw failure;
                }
                int n = Math.min(length, good - position);
                System.arraycopy(VALUE, position, buffer, offset, n);
                position += n;
                return n;
            }
        };
    }

    private static byte[] value(int size) {
        byte[] value = new byte[size];
        for (int i = 0; i < size; i++) {
            value[i] = (byte) (i * 31 + i / 251);
        }
        return value;
    }
}
