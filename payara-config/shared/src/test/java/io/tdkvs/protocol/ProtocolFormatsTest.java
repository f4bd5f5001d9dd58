package io.tdkvs.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every format of the volume protocol, pinned to its exact bytes and read back. */
class ProtocolFormatsTest {

    /** SHA-256 of "key". */
    static final String KEY_HASH = "2c70e12b7a0646f92279f427c7b38e7334d8e5389cff167a1dc30e73f826b683";
    static final BlobName NAME = new BlobName(KEY_HASH + ".000000000000002a");

    @Test
    void aBlobNameIsTheKeysSha256AndTheGeneration() {
        assertEquals(NAME, BlobName.of(utf8("key"), 42));
        assertEquals(NAME, BlobName.of(KEY_HASH, 42));
        assertEquals(42, NAME.generation());
        assertEquals(-1L, BlobName.of(utf8("key"), -1).generation(), "all 64 bits of a generation");
        assertEquals(Path.of("2c", "70", NAME.value()), NAME.relativePath());
        assertTrue(NAME.belongsTo(utf8("key")));
        assertFalse(NAME.belongsTo(utf8("other")));
        assertEquals(Optional.of(NAME), BlobName.parse(NAME.value()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../etc/passwd", "2c70e12b7a0646f92279f427c7b38e7334d8e5389cff167a1dc30e73f826b683",
            "2C70E12B7A0646F92279F427C7B38E7334D8E5389CFF167A1DC30E73F826B683.000000000000002a",
            "2c70e12b7a0646f92279f427c7b38e7334d8e5389cff167a1dc30e73f826b683.2a",
            "2c70e12b7a0646f92279f427c7b38e7334d8e5389cff167a1dc30e73f826b683x000000000000002a",
            "2c70e12b7a0646f92279f427c7b38e7334d8e5389cff167a1dc30e73f826b683.00000000000000.a",
            "2c70e12b7a0646f92279f427c7b38e7334d8e5389cff167a1dc30e73f826b68g.000000000000002a",
            "2c70e12b7a0646f92279f427c7b38e7334d8e5389cff167a1dc30e73f826b683.000000000000002a/"})
    void whatIsNotABlobNameIsRefused(String text) {
        assertEquals(Optional.empty(), BlobName.parse(text));
        assertThrows(IllegalArgumentException.class, () -> new BlobName(text));
    }

    @Test
    void headersCarryKeysAsBase64UrlAndChecksumsAsHex() {
        byte[] key = utf8("ключ/ü?");
        assertEquals("0LrQu9GO0Ycvw7w_", VolumeApi.keyHeader(key));
        assertArrayEquals(key, VolumeApi.keyFromHeader("0LrQu9GO0Ycvw7w_"));
        assertEquals("cafebabe", VolumeApi.crc32cHeader(0xCAFEBABE));
        assertEquals(0xCAFEBABE, VolumeApi.crc32cFromHeader("cafebabe"));
        assertEquals("00000001", VolumeApi.crc32cHeader(1));
        assertThrows(ProtocolException.class, () -> VolumeApi.keyFromHeader("!!!"));
        assertThrows(ProtocolException.class, () -> VolumeApi.crc32cFromHeader("cafe"));
        assertThrows(ProtocolException.class, () -> VolumeApi.crc32cFromHeader("cafebabz"));
    }

    @Test
    void aListingLineNamesSizeChecksumKeyAndTime() {
        BlobInfo blob = new BlobInfo(NAME, 5, 0xe1e00363, utf8("key"), 1_765_000_000_123L);
        String line = NAME + " 5 e1e00363 a2V5 1765000000123";
        assertEquals(line, blob.line());
        assertEquals(blob, BlobInfo.parse(line));
        // a volume of an earlier release lists no time: unknown, 0
        assertEquals(new BlobInfo(NAME, 5, 0xe1e00363, utf8("key"), 0), BlobInfo.parse(NAME + " 5 e1e00363 a2V5"));
        assertThrows(ProtocolException.class, () -> BlobInfo.parse(NAME + " 5 e1e00363"));
        assertThrows(ProtocolException.class, () -> BlobInfo.parse(NAME + " five e1e00363 a2V5"));
        assertThrows(ProtocolException.class, () -> BlobInfo.parse(NAME + " 5 e1e00363 a2V5 -1"));
        assertThrows(ProtocolException.class, () -> BlobInfo.parse(NAME + " 5 e1e00363 a2V5 soon"));
        assertThrows(ProtocolException.class, () -> BlobInfo.parse(NAME + " 5 e1e00363 a2V5 1 2"));
    }

    @Test
    void anImportAnswerSaysWhatWasStoredAndWhatWasAbsent() {
        assertEquals(NAME + " 5 e1e00363", Imported.stored(NAME, 5, 0xe1e00363).line());
        assertEquals(NAME + " absent", Imported.absent(NAME).line());
        assertEquals(Imported.stored(NAME, 5, 0xe1e00363), Imported.parse(NAME + " 5 e1e00363"));
        assertEquals(Imported.absent(NAME), Imported.parse(NAME + " absent"));
        assertThrows(ProtocolException.class, () -> Imported.parse(NAME + " present"));
        assertThrows(ProtocolException.class, () -> Imported.parse("<html>"));
    }

    @Test
    void aPartListNamesEachPartWithItsSizeAndChecksum() {
        BlobName other = BlobName.of(utf8("other"), 1);
        List<PartList.Part> parts = List.of(new PartList.Part(NAME, 5242880, 0xe1e00363), new PartList.Part(other, 0, 0));
        String body = NAME + " 5242880 e1e00363\n" + other + " 0 00000000\n";
        assertEquals(body, PartList.format(parts));
        assertEquals(parts, PartList.parse(body));
        assertEquals(parts, PartList.parse("\n " + NAME + " 5242880 e1e00363\r\n\n" + other + " 0 00000000"));
        assertThrows(ProtocolException.class, () -> PartList.parse(""));
        assertThrows(ProtocolException.class, () -> PartList.parse(NAME + " 5"));
        assertThrows(ProtocolException.class, () -> PartList.parse(NAME + " -1 e1e00363"));
        assertThrows(ProtocolException.class, () -> PartList.parse(NAME + " 5 e1e0036"));
        assertThrows(ProtocolException.class, () -> PartList.parse("not-a-name 5 e1e00363"));
    }

    @Test
    void aNameListIsANameALine() {
        BlobName other = BlobName.of(utf8("other"), 1);
        String body = NAME + "\n" + other + "\n";
        assertEquals(body, NameList.format(List.of(NAME, other)));
        assertEquals("", NameList.format(List.of()));
        assertEquals(List.of(NAME, other), NameList.parse(body));
        assertEquals(List.of(NAME, other), NameList.parse("\n " + NAME + "\r\n\n" + other));
        assertThrows(ProtocolException.class, () -> NameList.parse(NAME + "\nnot-a-name\n"));
        assertEquals("3\n", NameList.deleted(3));
        assertEquals(3, NameList.parseDeleted("3\n"));
        assertThrows(ProtocolException.class, () -> NameList.parseDeleted("three"));
    }

    @Test
    void aFrameHeaderIsTheNameThenTheFilesLength() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        BlobFrames.writeHeader(out, NAME, 26);
        BlobFrames.writeAbsent(out, NAME);
        String ascii = HexFormat.of().formatHex(NAME.value().getBytes(StandardCharsets.US_ASCII));
        assertEquals(ascii + "000000000000001a" + ascii + "ffffffffffffffff", HexFormat.of().formatHex(bytes.toByteArray()));

        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        assertEquals(Optional.of(new BlobFrames.Header(NAME, 26)), BlobFrames.readHeader(in));
        BlobFrames.Header absent = BlobFrames.readHeader(in).orElseThrow();
        assertFalse(absent.present());
        assertEquals(Optional.empty(), BlobFrames.readHeader(in), "the stream ends after a whole frame");
    }

    @Test
    void aFrameHeaderThatBreaksOffOrIsNoneIsTold() {
        byte[] name = NAME.value().getBytes(StandardCharsets.US_ASCII);
        assertThrows(EOFException.class, () -> BlobFrames.readHeader(stream(java.util.Arrays.copyOf(name, 40))));
        assertThrows(EOFException.class, () -> BlobFrames.readHeader(stream(java.util.Arrays.copyOf(name, name.length + 3))));
        byte[] garbage = "x".repeat(BlobName.LENGTH + 8).getBytes(StandardCharsets.US_ASCII);
        assertThrows(ProtocolException.class, () -> BlobFrames.readHeader(stream(garbage)));
    }

    private static DataInputStream stream(byte[] bytes) {
        return new DataInputStream(new ByteArrayInputStream(bytes));
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
