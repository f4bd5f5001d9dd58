package io.tdkvs.volume.blobs.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.tdkvs.protocol.BlobFile;
import io.tdkvs.protocol.BlobInfo;
import io.tdkvs.protocol.BlobName;
import io.tdkvs.protocol.ByteRange;
import io.tdkvs.protocol.PartList;
import io.tdkvs.volume.errors.Reason;
import io.tdkvs.volume.errors.VolumeException;

class BlobStoreTest {

    @TempDir
    Path root;

    @Test
    void overwritingWithAShorterValueLeavesNoTail() throws IOException {
        BlobStore store = new BlobStore(root);
        BlobName name = name("k", 1);
        store.write(name, utf8("k"), stream("hello world, a long value"), OptionalLong.empty());
        store.write(name, utf8("k"), stream("short"), OptionalLong.of(5));
        assertEquals("short", read(store, name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "../../etc/passwd", "..", "a?b", "sp ace", "café/日本", "nul\u0000byte", "\\back"})
    void storesHostileKeysInsideItsPathAndKeepsTheKey(String key) throws IOException {
        BlobStore store = new BlobStore(root);
        BlobName name = name(key, 7);
        BlobInfo written = store.write(name, utf8(key), stream("value of " + key), OptionalLong.empty());
        assertEquals("value of " + key, read(store, name));
        try (Stream<Path> files = Files.walk(root)) {
            assertTrue(files.allMatch(file -> file.normalize().startsWith(root)));
        }
        List<BlobInfo> listed = list(store);
        assertEquals(1, listed.size());
        assertArrayEquals(utf8(key), listed.get(0).key());
        assertEquals(written.crc32c(), listed.get(0).crc32c());
        assertTrue(Math.abs(listed.get(0).modified() - System.currentTimeMillis()) < 60_000, "listed with its file's time: " + listed);
    }

    @Test
    void storesA4KiBKey() throws IOException {
        BlobStore store = new BlobStore(root);
        String key = "k".repeat(4096);
        store.write(name(key, 1), utf8(key), stream("v"), OptionalLong.empty());
        assertArrayEquals(utf8(key), list(store).get(0).key());
    }

    @Test
    void aBodyThatBreaksOffLeavesTheOldValue() throws IOException {
        BlobStore store = new BlobStore(root);
        BlobName name = name("k", 1);
        store.write(name, utf8("k"), stream("old"), OptionalLong.empty());
        InputStream broken = new InputStream() {
            private int sent;

            @Override
            public int read() throws IOException {
                if (sent++ < 1000) {
                    return 'x';
                }
                throw new IOException("connection reset");
            }
        };
        VolumeException e = assertThrows(VolumeException.class, () -> store.write(name, utf8("k"), broken, OptionalLong.empty()));
        assertEquals(Reason.BODY_BROKE_OFF, e.reason());
        assertEquals("old", read(store, name));
        assertEquals(0, Files.list(root.resolve("tmp")).count());
    }

    /** A body shorter or longer than its Content-Length is refused, and nothing is stored. */
    @ParameterizedTest
    @CsvSource({"abc, 10", "abcdef, 3"})
    void aBodyOtherThanAnnouncedIsRejected(String body, long announced) throws IOException {
        BlobStore store = new BlobStore(root);
        VolumeException e = assertThrows(VolumeException.class,
                () -> store.write(name("k", 1), utf8("k"), stream(body), OptionalLong.of(announced)));
        assertEquals(Reason.BODY_BROKE_OFF, e.reason());
        assertTrue(store.open(name("k", 1)).isEmpty());
    }

    @Test
    void aNameThatDoesNotBelongToTheKeyIsRejected() throws IOException {
        BlobStore store = new BlobStore(root);
        VolumeException e = assertThrows(VolumeException.class,
                () -> store.write(name("other", 1), utf8("k"), stream("v"), OptionalLong.empty()));
        assertEquals(Reason.KEY_MISMATCH, e.reason());
    }

    @Test
    void emptyAndBinaryValuesRoundTrip() throws IOException {
        BlobStore store = new BlobStore(root);
        byte[] binary = new byte[300_000];
        new java.util.Random(1).nextBytes(binary);
        store.write(name("bin", 1), utf8("bin"), new ByteArrayInputStream(binary), OptionalLong.of(binary.length));
        store.write(name("empty", 1), utf8("empty"), stream(""), OptionalLong.of(0));
        assertArrayEquals(binary, bytes(store, name("bin", 1)));
        assertEquals(0, bytes(store, name("empty", 1)).length);
    }

    @Test
    void deleteRemovesOnlyThatBlob() throws IOException {
        BlobStore store = new BlobStore(root);
        store.write(name("k", 1), utf8("k"), stream("one"), OptionalLong.empty());
        store.write(name("k", 2), utf8("k"), stream("two"), OptionalLong.empty());
        assertTrue(store.delete(name("k", 1)));
        assertFalse(store.delete(name("k", 1)));
        assertEquals("two", read(store, name("k", 2)));
    }

    @Test
    void leftoverWritesAreRemovedAndDamagedFilesSkippedAtStart() throws IOException {
        BlobStore store = new BlobStore(root);
        store.write(name("good", 1), utf8("good"), stream("v"), OptionalLong.empty());
        Files.writeString(root.resolve("tmp/crashed.tmp"), "half a value");
        BlobName damaged = name("damaged", 1);
        Path damagedFile = root.resolve("blobs").resolve(damaged.relativePath());
        Files.createDirectories(damagedFile.getParent());
        Files.writeString(damagedFile, "TDKV but not really");
        BlobStore reopened = new BlobStore(root);
        assertEquals(0, Files.list(root.resolve("tmp")).count());
        assertEquals(List.of("good"), list(reopened).stream().map(b -> new String(b.key(), StandardCharsets.UTF_8)).toList());
        VolumeException e = assertThrows(VolumeException.class, () -> reopened.open(damaged));
        assertEquals(Reason.CORRUPT_BLOB, e.reason());
    }

    /** Values of one chunk, five chunks and over 16 MiB, each with a byte flipped: refused before anything is sent. */
    @ParameterizedTest
    @CsvSource({"22, 19", "300000, 0", "300000, 299999", "17000000, 9000000"})
    void aDamagedValueIsRefusedBeforeAnythingIsSent(int size, int flipped) throws IOException {
        BlobStore store = new BlobStore(root);
        BlobName name = name("k", 1);
        store.write(name, utf8("k"), new ByteArrayInputStream(pattern(size)), OptionalLong.empty());
        flipByte(name, size, flipped);
        assertTrue(store.open(name).isPresent(), "the header and trailer are whole");
        VolumeException e = assertThrows(VolumeException.class, () -> store.openChecked(name));
        assertEquals(Reason.CORRUPT_BLOB, e.reason());
        assertTrue(e.getMessage().contains("does not match its CRC32C"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 300_000})
    void wholeValuesAndRangesReadBack(int size) throws IOException {
        BlobStore store = new BlobStore(root);
        BlobName name = name("big", 1);
        byte[] value = pattern(size);
        store.write(name, utf8("big"), new ByteArrayInputStream(value), OptionalLong.empty());
        assertArrayEquals(value, bytes(store, name));
        for (ByteRange range : List.of(new ByteRange(0, 0), new ByteRange(70, 939), new ByteRange(size - 1, size - 1))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.openChecked(name).orElseThrow().copyTo(out, range);
            assertArrayEquals(Arrays.copyOfRange(value, (int) range.first(), (int) range.first() + (int) range.length()), out.toByteArray());
        }
    }

    /**
     * A range of a blob not checked lately is refused if the value is damaged, and one found damaged
     * is refused from then on; a blob written again is checked again before a range of it is sent.
     */
    @Test
    void rangesAreSentOnlyFromAValueCheckedWholeLately() throws IOException {
        BlobStore store = new BlobStore(root);
        int size = 300_000;
        BlobName never = name("never", 1);
        store.write(never, utf8("never"), new ByteArrayInputStream(pattern(size)), OptionalLong.empty());
        flipByte(never, size, size - 1);
        assertEquals(Reason.CORRUPT_BLOB, assertThrows(VolumeException.class, () -> store.openForRange(never, "bytes=0-0")).reason());
        assertEquals(Reason.CORRUPT_BLOB, assertThrows(VolumeException.class, () -> store.openForRange(never, "bytes=0-0")).reason(),
                "a damaged value is not taken for checked");

        BlobName rewritten = name("rewritten", 1);
        store.write(rewritten, utf8("rewritten"), new ByteArrayInputStream(pattern(size)), OptionalLong.empty());
        store.openForRange(rewritten, "bytes=0-0").orElseThrow().blob().closeQuietly();
        store.write(rewritten, utf8("rewritten"), new ByteArrayInputStream(pattern(size)), OptionalLong.empty());
        flipByte(rewritten, size, 5);
        assertEquals(Reason.CORRUPT_BLOB, assertThrows(VolumeException.class, () -> store.openForRange(rewritten, "bytes=0-0")).reason(),
                "a blob written again is checked again");

        BlobName deleted = name("deleted", 1);
        store.write(deleted, utf8("deleted"), new ByteArrayInputStream(pattern(size)), OptionalLong.empty());
        store.openForRange(deleted, "bytes=0-0").orElseThrow().blob().closeQuietly();
        store.delete(deleted);
        assertTrue(store.openForRange(deleted, "bytes=0-0").isEmpty());
    }

    @Test
    void aCheckIsFreshForAMinuteAndForTheSameSizeAndCrcOnly() {
        RecentChecks checks = new RecentChecks();
        BlobName name = name("k", 1);
        long now = 1_000_000_000_000L;
        assertFalse(checks.fresh(name, 10, 7, now));
        checks.passed(name, 10, 7, now);
        assertTrue(checks.fresh(name, 10, 7, now + RecentChecks.FRESH.toNanos() - 1));
        assertFalse(checks.fresh(name, 10, 7, now + RecentChecks.FRESH.toNanos()));
        assertFalse(checks.fresh(name, 11, 7, now), "another size");
        assertFalse(checks.fresh(name, 10, 8, now), "another CRC32C");
        checks.forget(name);
        assertFalse(checks.fresh(name, 10, 7, now));
    }

    /**
     * Values around the 64 KiB write chunk, announced or not, arriving whole or a few bytes at a
     * time: each reads back whole, with the CRC32C of its bytes.
     */
    @ParameterizedTest
    @CsvSource({"0, true, 100000", "1, true, 100000", "1023, true, 7", "1023, false, 100000", "65535, true, 1000",
            "65536, true, 100000", "65536, false, 4096", "65537, true, 65536", "65537, false, 100000", "196615, true, 5000",
            "196615, false, 65537"})
    void valuesAroundTheWriteChunkRoundTrip(int size, boolean announced, int perRead) throws IOException {
        BlobStore store = new BlobStore(root);
        BlobName name = name("k" + size, 1);
        byte[] value = pattern(size);
        BlobInfo written = store.write(name, utf8("k" + size), dribble(value, perRead),
                announced ? OptionalLong.of(size) : OptionalLong.empty());
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(value);
        assertEquals((int) crc.getValue(), written.crc32c());
        assertEquals(size, written.size());
        assertArrayEquals(value, bytes(store, name));
        assertEquals(BlobFile.header(utf8("k" + size)).remaining() + size + BlobFile.TRAILER_BYTES,
                Files.size(root.resolve("blobs").resolve(name.relativePath())));
    }

    /** A stream of {@code bytes} that gives at most {@code perRead} at a time. */
    private static InputStream dribble(byte[] bytes, int perRead) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] into, int offset, int length) {
                return super.read(into, offset, Math.min(length, perRead));
            }
        };
    }

    /**
     * A blob composed of others holds their values in order, under its own key, without a copy of them:
     * its segments are links to the parts' files, so it reads whole and in ranges (across the parts'
     * boundaries) after the parts are removed, and lists with the CRC32C of the whole.
     */
    @Test
    void aComposedBlobHoldsItsPartsValuesInOrderWithoutCopyingThem() throws IOException {
        BlobStore store = new BlobStore(root);
        byte[] first = pattern(200_000);
        byte[] second = pattern(70_001);
        BlobInfo one = stored(store, "upload/1", 3, first);
        BlobInfo two = stored(store, "upload/2", 4, second);
        BlobInfo none = stored(store, "upload/3", 5, new byte[0]);
        List<PartList.Part> parts = List.of(part(one), part(two), part(none), part(one));

        BlobInfo joined = store.compose(name("object", 9), utf8("object"), parts);

        byte[] expected = concat(first, second, first);
        assertEquals(expected.length, joined.size());
        assertEquals(crc(expected), joined.crc32c());
        assertEquals(3, Files.getAttribute(root.resolve("blobs").resolve(one.name().relativePath()), "unix:nlink"),
                "part one's file is linked twice more, not copied");
        assertTrue(store.deleteAll(List.of(one.name(), two.name(), none.name())) == 3);
        assertArrayEquals(expected, bytes(store, name("object", 9)));
        for (long[] range : new long[][] {{0, 0}, {199_990, 200_010}, {200_000, 270_000}, {270_000, 270_001},
                {100, expected.length - 1}, {expected.length - 1, expected.length - 1}}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.openForRange(name("object", 9), "bytes=" + range[0] + "-" + range[1]).orElseThrow().blob()
                    .copyTo(out, new ByteRange(range[0], range[1]));
            assertArrayEquals(Arrays.copyOfRange(expected, (int) range[0], (int) range[1] + 1), out.toByteArray(),
                    "bytes " + range[0] + "-" + range[1]);
        }
        try (InputStream checked = store.open(name("object", 9)).orElseThrow().checkedInput()) {
            assertArrayEquals(expected, checked.readAllBytes());
        }
        List<BlobInfo> listed = list(store);
        assertEquals(1, listed.size(), "the composed blob alone: its segments are not blobs");
        assertEquals(name("object", 9), listed.get(0).name());
        assertEquals(expected.length, listed.get(0).size());
        assertEquals(joined.crc32c(), listed.get(0).crc32c());
        assertArrayEquals(utf8("object"), listed.get(0).key());
    }

    /** A composed blob replaced or removed takes its segments with it; a restart keeps those of the blobs there. */
    @Test
    void aComposedBlobsSegmentsGoWithItAndSurviveARestart() throws IOException {
        BlobStore store = new BlobStore(root);
        BlobInfo one = store.write(name("upload/1", 3), utf8("upload/1"), stream("one "), OptionalLong.empty());
        BlobInfo two = store.write(name("upload/2", 4), utf8("upload/2"), stream("two"), OptionalLong.empty());
        store.compose(name("kept", 1), utf8("kept"), List.of(part(one), part(two)));
        store.compose(name("replaced", 1), utf8("replaced"), List.of(part(two), part(one)));
        store.compose(name("removed", 1), utf8("removed"), List.of(part(one)));
        assertEquals(5, segmentFiles().size());

        store.compose(name("replaced", 1), utf8("replaced"), List.of(part(one)));
        assertEquals("one ", read(store, name("replaced", 1)));
        assertEquals(4, segmentFiles().size(), "the segments of the blob composed before are removed");
        store.write(name("replaced", 1), utf8("replaced"), stream("plain"), OptionalLong.empty());
        assertEquals("plain", read(store, name("replaced", 1)));
        assertTrue(store.delete(name("removed", 1)));
        assertEquals(2, segmentFiles().size());

        Path orphan = root.resolve("segments").resolve(name("gone", 1).value().substring(0, 2))
                .resolve(name("gone", 1) + ".abc.0");
        Files.createDirectories(orphan.getParent());
        Files.createLink(orphan, root.resolve("blobs").resolve(one.name().relativePath()));
        Path stale = segmentFiles().get(0).resolveSibling(name("kept", 1) + ".12345.0");
        Files.createLink(stale, root.resolve("blobs").resolve(two.name().relativePath()));
        BlobStore reopened = new BlobStore(root);
        assertEquals(2, segmentFiles().size(), "segments no composed blob names are removed at start: " + segmentFiles());
        assertFalse(Files.exists(orphan));
        assertFalse(Files.exists(stale));
        assertEquals("one two", read(reopened, name("kept", 1)));
        assertTrue(reopened.delete(name("kept", 1)));
        assertEquals(List.of(), segmentFiles(), "a composed blob known from the disk takes its segments when removed");
    }

    /**
     * A composition names parts that must be there, as the list says; otherwise it is refused with the
     * part's name and nothing is stored. A part's value is checked when the composed blob is read: a part
     * damaged on the disk makes the composed blob damaged.
     */
    @Test
    void aComposedBlobRefusesAMissingOrOtherPartAndIsDamagedWithOne() throws IOException {
        BlobStore store = new BlobStore(root);
        byte[] first = pattern(200_000);
        byte[] second = pattern(70_001);
        BlobInfo one = stored(store, "upload/1", 3, first);
        BlobInfo two = stored(store, "upload/2", 4, second);

        PartList.Part missing = new PartList.Part(name("upload/3", 1), 1, 0);
        VolumeException absent = assertThrows(VolumeException.class,
                () -> store.compose(name("object", 10), utf8("object"), List.of(part(one), missing)));
        assertEquals(Reason.NO_SUCH_BLOB, absent.reason());
        assertTrue(absent.getMessage().contains(missing.name().value()), absent.getMessage());

        PartList.Part otherSize = new PartList.Part(two.name(), two.size() + 1, two.crc32c());
        VolumeException other = assertThrows(VolumeException.class,
                () -> store.compose(name("object", 11), utf8("object"), List.of(part(one), otherSize)));
        assertEquals(Reason.CORRUPT_BLOB, other.reason());
        assertTrue(other.getMessage().contains(two.name().value()), other.getMessage());
        assertEquals(Reason.KEY_MISMATCH, assertThrows(VolumeException.class,
                () -> store.compose(name("object", 12), utf8("another"), List.of(part(one)))).reason());
        for (long generation = 10; generation <= 12; generation++) {
            assertTrue(store.open(name("object", generation)).isEmpty(), "nothing stored for generation " + generation);
        }
        assertEquals(0, Files.list(root.resolve("tmp")).count());
        assertEquals(List.of(), segmentFiles());

        store.compose(name("object", 13), utf8("object"), List.of(part(one), part(two)));
        flipByte(two.name(), second.length, 70_000);
        VolumeException damaged = assertThrows(VolumeException.class, () -> store.openChecked(name("object", 13)));
        assertEquals(Reason.CORRUPT_BLOB, damaged.reason());
        assertTrue(store.damagedNames().contains(name("object", 13).value()), store.damagedNames().toString());

        ByteArrayOutputStream firstPart = new ByteArrayOutputStream();
        store.openForRange(name("object", 13), "bytes=10-199999").orElseThrow().blob().copyTo(firstPart, new ByteRange(10, 199_999));
        assertArrayEquals(Arrays.copyOfRange(first, 10, 200_000), firstPart.toByteArray(),
                "a range within the good segment is read: only the segments that hold it are checked");
        assertEquals(Reason.CORRUPT_BLOB, assertThrows(VolumeException.class,
                () -> store.openForRange(name("object", 13), "bytes=199999-200000")).reason(), "one that reaches the damaged one is not");
        assertEquals(Reason.CORRUPT_BLOB, assertThrows(VolumeException.class,
                () -> store.openForRange(name("object", 13), "bytes=200000-")).reason());

        Path secondSegment = segmentFiles().get(1);
        assertTrue(secondSegment.getFileName().toString().endsWith(".1"), secondSegment.toString());
        Files.delete(secondSegment);
        VolumeException gone = assertThrows(VolumeException.class, () -> store.open(name("object", 13)));
        assertEquals(Reason.CORRUPT_BLOB, gone.reason());
        assertTrue(gone.getMessage().contains("is missing"), gone.getMessage());
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        store.openForRange(name("object", 13), "bytes=10-199999").orElseThrow().blob().copyTo(again, new ByteRange(10, 199_999));
        assertArrayEquals(Arrays.copyOfRange(first, 10, 200_000), again.toByteArray(),
                "a range opens only the segments that hold it, not every one of a large object's");
    }

    private List<Path> segmentFiles() throws IOException {
        try (Stream<Path> files = Files.walk(root.resolve("segments"))) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static BlobInfo stored(BlobStore store, String key, long generation, byte[] value) {
        return store.write(name(key, generation), utf8(key), new ByteArrayInputStream(value), OptionalLong.empty());
    }

    private static PartList.Part part(BlobInfo blob) {
        return new PartList.Part(blob.name(), blob.size(), blob.crc32c());
    }

    private static byte[] concat(byte[]... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] value : values) {
            out.writeBytes(value);
        }
        return out.toByteArray();
    }

    private static int crc(byte[] value) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(value);
        return (int) crc.getValue();
    }

    /** Flips byte {@code at} of the value of a blob of {@code size} bytes, in its file. */
    private void flipByte(BlobName name, int size, int at) throws IOException {
        Path file = root.resolve("blobs").resolve(name.relativePath());
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - BlobFile.TRAILER_BYTES - size + at] ^= 0x20;
        Files.write(file, bytes);
    }

    private static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + i / 251);
        }
        return bytes;
    }

    @Test
    void aPathThatCannotBeWrittenFailsAtStartWithTheReason() throws IOException {
        Path file = Files.writeString(root.resolve("not-a-directory"), "x");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new BlobStore(file));
        assertTrue(e.getMessage().startsWith("cannot store values under " + file), e.getMessage());
    }

    private static BlobName name(String key, long generation) {
        return BlobName.of(utf8(key), generation);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(utf8(text));
    }

    private static String read(BlobStore store, BlobName name) throws IOException {
        return new String(bytes(store, name), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(BlobStore store, BlobName name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.openChecked(name).orElseThrow().copyTo(out);
        return out.toByteArray();
    }

    private static List<BlobInfo> list(BlobStore store) {
        List<BlobInfo> blobs = new ArrayList<>();
        store.forEach(blobs::add);
        return blobs;
    }
}
