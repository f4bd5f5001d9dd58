package io.tdkvs.volume.blobs.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tdkvs.protocol.BlobInfo;
import io.tdkvs.protocol.BlobName;
import io.tdkvs.protocol.Imported;
import io.tdkvs.volume.errors.Reason;
import io.tdkvs.volume.errors.VolumeException;

class BlobTransferTest {

    @TempDir
    Path from;

    @TempDir
    Path to;

    @Test
    void movesBlobsAsStoredAndNotesTheAbsentOnes() throws IOException {
        BlobTransfer source = transfer(from);
        BlobTransfer target = transfer(to);
        BlobInfo a = write(source.store, "a", "alpha");
        BlobInfo empty = write(source.store, "empty", "");
        BlobName missing = BlobName.of(utf8("missing"), 1);

        List<Imported> received = target.receive(new ByteArrayInputStream(
                frames(source, List.of(a.name(), missing, empty.name()))));

        assertEquals(List.of(Imported.stored(a.name(), 5, a.crc32c()), Imported.absent(missing),
                Imported.stored(empty.name(), 0, empty.crc32c())), received);
        assertEquals("alpha", read(target.store, a.name()));
        assertEquals("", read(target.store, empty.name()));
        assertTrue(target.store.open(missing).isEmpty());
    }

    /** A composed blob goes to another volume as one blob file of its value, and is stored there as one. */
    @Test
    void movesAComposedBlobAsOneBlobFile() throws IOException {
        BlobTransfer source = transfer(from);
        BlobTransfer target = transfer(to);
        BlobInfo a = write(source.store, "part/1", "alpha ");
        BlobInfo b = write(source.store, "part/2", "beta");
        BlobName object = BlobName.of(utf8("object"), 7);
        BlobInfo composed = source.store.compose(object, utf8("object"), List.of(
                new io.tdkvs.protocol.PartList.Part(a.name(), a.size(), a.crc32c()),
                new io.tdkvs.protocol.PartList.Part(b.name(), b.size(), b.crc32c())));

        List<Imported> received = target.receive(new ByteArrayInputStream(frames(source, List.of(object))));

        assertEquals(List.of(Imported.stored(object, 10, composed.crc32c())), received);
        assertEquals("alpha beta", read(target.store, object));
        try (java.nio.channels.FileChannel file = target.store.openFile(object).orElseThrow()) {
            assertEquals(io.tdkvs.protocol.BlobFile.fileLength(6, 10), file.size(), "a plain blob file");
        }
    }

    /** The blobs of a batch are placed at the same time; two of them share a folder that is new. */
    @Test
    void storesEveryBlobOfALargeBatch() throws IOException {
        BlobTransfer source = transfer(from);
        BlobTransfer target = transfer(to);
        List<BlobInfo> written = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            written.add(write(source.store, "key-" + i, "value " + i));
        }
        BlobName sameFolder = BlobName.of(written.get(0).name().value().substring(0, 64), 2);
        written.add(source.store.write(sameFolder, utf8("key-0"), new ByteArrayInputStream(utf8("value 0, again")),
                OptionalLong.empty()));

        List<Imported> received = target.receive(new ByteArrayInputStream(
                frames(source, written.stream().map(BlobInfo::name).toList())));

        assertEquals(written.stream().map(blob -> Imported.stored(blob.name(), blob.size(), blob.crc32c())).toList(), received);
        for (int i = 0; i < 100; i++) {
            assertEquals("value " + i, read(target.store, written.get(i).name()));
        }
        assertEquals("value 0, again", read(target.store, sameFolder));
        assertEmpty(to.resolve("tmp"));
    }

    @Test
    void keepsNothingOfAStreamThatBreaksOff() throws IOException {
        BlobTransfer source = transfer(from);
        BlobTransfer target = transfer(to);
        BlobInfo a = write(source.store, "a", "alpha");
        BlobInfo b = write(source.store, "b", "bravo, a longer value");
        byte[] frames = frames(source, List.of(a.name(), b.name()));

        VolumeException broken = assertThrows(VolumeException.class,
                () -> target.receive(new ByteArrayInputStream(Arrays.copyOf(frames, frames.length - 3))));

        assertEquals(Reason.BODY_BROKE_OFF, broken.reason());
        assertTrue(target.store.open(a.name()).isEmpty());
        assertEmpty(to.resolve("tmp"));
    }

    @Test
    void refusesABlobWhoseValueDoesNotMatchItsChecksum() throws IOException {
        BlobTransfer source = transfer(from);
        BlobInfo a = write(source.store, "a", "alpha");
        byte[] frames = frames(source, List.of(a.name()));
        int value = new String(frames, StandardCharsets.ISO_8859_1).indexOf("alpha");
        frames[value] = 'A';

        VolumeException refused = assertThrows(VolumeException.class,
                () -> transfer(to).receive(new ByteArrayInputStream(frames)));

        assertEquals(Reason.MALFORMED_BODY, refused.reason());
        assertTrue(refused.getMessage().contains("CRC32C"), refused.getMessage());
    }

    @Test
    void refusesABlobFiledUnderAnotherKeysName() throws IOException {
        BlobTransfer source = transfer(from);
        BlobInfo a = write(source.store, "a", "alpha");
        byte[] frames = frames(source, List.of(a.name()));
        byte[] renamed = BlobName.of(utf8("b"), 1).value().getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(renamed, 0, frames, 0, renamed.length);

        VolumeException refused = assertThrows(VolumeException.class,
                () -> transfer(to).receive(new ByteArrayInputStream(frames)));

        assertEquals(Reason.KEY_MISMATCH, refused.reason());
        assertEmpty(to.resolve("tmp"));
    }

    @Test
    void refusesFramesThatDoNotStartWithABlobName() {
        byte[] garbage = "this is not a frame of blobs at all, but it is long enough to hold a name......".repeat(2)
                .getBytes(StandardCharsets.US_ASCII);
        VolumeException refused = assertThrows(VolumeException.class,
                () -> transfer(to).receive(new ByteArrayInputStream(garbage)));
        assertEquals(Reason.MALFORMED_BODY, refused.reason());
    }

    @Test
    void deletesMany() throws IOException {
        BlobTransfer source = transfer(from);
        BlobInfo a = write(source.store, "a", "alpha");
        BlobInfo b = write(source.store, "b", "bravo");
        assertEquals(2, source.store.deleteAll(List.of(a.name(), b.name(), BlobName.of(utf8("c"), 1))));
        assertFalse(source.store.open(a.name()).isPresent());
    }

    private static BlobTransfer transfer(Path root) {
        BlobTransfer transfer = new BlobTransfer();
        transfer.store = new BlobStore(root);
        return transfer;
    }

    private static byte[] frames(BlobTransfer source, List<BlobName> names) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        source.send(names, out);
        return out.toByteArray();
    }

    private static BlobInfo write(BlobStore store, String key, String value) {
        return store.write(BlobName.of(utf8(key), 1), utf8(key), new ByteArrayInputStream(utf8(value)), OptionalLong.empty());
    }

    private static String read(BlobStore store, BlobName name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.open(name).orElseThrow().copyTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void assertEmpty(Path directory) throws IOException {
        try (var files = Files.list(directory)) {
            assertEquals(0, files.count());
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
