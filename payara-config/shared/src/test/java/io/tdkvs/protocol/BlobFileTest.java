package io.tdkvs.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

class BlobFileTest {

    /** The file of key "key" with value "value": header, value, trailer. */
    static final String FILE = "54444b56" + "01" + "00000003" + "6b6579" + "76616c7565" + "0000000000000005" + "e1e00363" + "54444b56";

    @TempDir
    Path dir;

    @Test
    void aBlobFileIsHeaderValueTrailerToTheByte() throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        write(file, BlobFile.header(utf8("key")));
        file.write(utf8("value"));
        write(file, BlobFile.trailer(5, 0xe1e00363));
        assertEquals(FILE, HexFormat.of().formatHex(file.toByteArray()));

        BlobFile.Layout layout = read(HexFormat.of().parseHex(FILE));
        assertArrayEquals(utf8("key"), layout.key());
        assertEquals(12, layout.valueOffset());
        assertEquals(5, layout.size());
        assertEquals(0xe1e00363, layout.crc32c());
    }

    /** Files of up to a chunk (a value of up to 65,508 bytes with this key) are read whole, longer ones a chunk at a time. */
    @ParameterizedTest
    @ValueSource(ints = {0, 5, 65_508, 65_509, 200_000})
    void aCheckedCopyKeepsTheFileAsItIs(int size) throws IOException {
        byte[] bytes = file(size);
        Path copy = dir.resolve("copy");
        try (FileChannel out = FileChannel.open(copy, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            BlobFile.Layout layout = BlobFile.copyChecked(new ByteArrayInputStream(bytes), bytes.length, out);
            assertEquals(size, layout.size());
            assertArrayEquals(utf8("key"), layout.key());
            assertEquals(12, layout.valueOffset());
        }
        assertArrayEquals(bytes, Files.readAllBytes(copy));
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 200_000})
    void aFlippedValueByteATruncatedFileOrAnotherFormatIsRefused(int size) throws IOException {
        byte[] bytes = file(size);
        byte[] flipped = bytes.clone();
        flipped[13] ^= 1;
        IOException corrupt = assertThrows(BlobFile.CorruptBlobException.class, () -> copy(flipped, flipped.length));
        assertTrue(corrupt.getMessage().contains("CRC32C"), corrupt.getMessage());
        assertThrows(EOFException.class, () -> copy(Arrays.copyOf(bytes, 20), bytes.length));
        assertThrows(BlobFile.CorruptBlobException.class, () -> copy(bytes, bytes.length - 1), "the trailer is off by one");
        assertThrows(BlobFile.CorruptBlobException.class, () -> read(Arrays.copyOf(bytes, bytes.length - 1)));
        byte[] version2 = bytes.clone();
        version2[4] = 2;
        assertThrows(BlobFile.CorruptBlobException.class, () -> read(version2));
        assertThrows(BlobFile.CorruptBlobException.class, () -> copy(version2, version2.length));
    }

    @Test
    void aCopyShorterThanAHeaderAndATrailerIsRefused() {
        byte[] bytes = HexFormat.of().parseHex(FILE);
        assertThrows(BlobFile.CorruptBlobException.class, () -> copy(bytes, 24));
    }

    /** The file of key "key" with a value of {@code size} bytes. */
    private static byte[] file(int size) {
        byte[] value = new byte[size];
        for (int i = 0; i < size; i++) {
            value[i] = (byte) (i * 31 + 7);
        }
        CRC32C crc = new CRC32C();
        crc.update(value);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        write(file, BlobFile.header(utf8("key")));
        file.write(value, 0, size);
        write(file, BlobFile.trailer(size, (int) crc.getValue()));
        assertEquals(BlobFile.fileLength(3, size), file.size());
        return file.toByteArray();
    }

    private BlobFile.Layout read(byte[] bytes) throws IOException {
        Path file = Files.write(dir.resolve("blob-" + System.nanoTime()), bytes);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return BlobFile.read(channel);
        }
    }

    private void copy(byte[] bytes, long length) throws IOException {
        try (FileChannel out = FileChannel.open(dir.resolve("copy-" + System.nanoTime()), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            BlobFile.copyChecked(new ByteArrayInputStream(bytes), length, out);
        }
    }

    private static void write(ByteArrayOutputStream out, ByteBuffer buffer) {
        out.write(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
