package io.tdkvs.volume.blobs.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tdkvs.protocol.BlobFile;

class ComposedFileTest {

    @TempDir
    Path root;

    @Test
    void aLayoutRoundTripsAndItsTrailerIsTheSegmentsJoined() throws IOException {
        byte[] key = "bucket/object ä".getBytes(StandardCharsets.UTF_8);
        List<ComposedFile.Segment> segments = List.of(segment("first"), segment(""), segment("second part"));
        ComposedFile.Layout layout = ComposedFile.Layout.of(key, 0x1234_5678_9abc_def0L, segments);
        Path file = write(ComposedFile.format(layout));

        try (FileChannel channel = FileChannel.open(file)) {
            assertTrue(ComposedFile.is(channel));
            ComposedFile.Layout read = ComposedFile.read(channel);
            assertArrayEquals(key, read.key());
            assertEquals(layout.stamp(), read.stamp());
            assertEquals(segments, read.segments());
            assertEquals(16, read.size());
            assertEquals(crc("firstsecond part"), read.crc32c());
        }
    }

    @Test
    void aBlobFileIsNotOne() throws IOException {
        Path file = write(BlobFile.header("k".getBytes(StandardCharsets.UTF_8)));
        try (FileChannel channel = FileChannel.open(file)) {
            assertFalse(ComposedFile.is(channel));
        }
        try (FileChannel empty = FileChannel.open(write(ByteBuffer.allocate(0)))) {
            assertFalse(ComposedFile.is(empty));
        }
    }

    /** Every byte of the file matters: a truncated file, or one with any byte changed, is refused as damaged. */
    @Test
    void aDamagedOrTruncatedFileIsRefused() throws IOException {
        ComposedFile.Layout layout = ComposedFile.Layout.of("k".getBytes(StandardCharsets.UTF_8), 7,
                List.of(segment("one"), segment("two")));
        byte[] whole = ComposedFile.format(layout).array();
        for (int at = 0; at < whole.length; at++) {
            byte[] changed = whole.clone();
            changed[at] ^= 0x01;
            if (at >= 9 && at < 18) {
                continue; // the key and the stamp: any value is one (a blob file's key is not checked either)
            }
            assertDamaged(changed, "byte " + at + " changed");
        }
        for (int length = 0; length < whole.length; length++) {
            assertDamaged(java.util.Arrays.copyOf(whole, length), "truncated to " + length);
        }
    }

    private void assertDamaged(byte[] bytes, String what) throws IOException {
        try (FileChannel channel = FileChannel.open(write(ByteBuffer.wrap(bytes)))) {
            assertThrows(BlobFile.CorruptBlobException.class, () -> ComposedFile.read(channel), what);
        }
    }

    private Path write(ByteBuffer bytes) throws IOException {
        Path file = Files.createTempFile(root, "composed", "");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            BlobFile.writeFully(channel, bytes);
        }
        return file;
    }

    private static ComposedFile.Segment segment(String value) {
        return new ComposedFile.Segment(value.length(), crc(value));
    }

    private static int crc(String value) {
        CRC32C crc = new CRC32C();
        crc.update(value.getBytes(StandardCharsets.UTF_8));
        return (int) crc.getValue();
    }
}
