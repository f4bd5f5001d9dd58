package io.tdkvs.master.meta.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.sleepycat.je.DatabaseEntry;

import io.tdkvs.config.GroupConfig;
import io.tdkvs.config.VolumeUrl;
import io.tdkvs.master.keys.entity.Attributes;
import io.tdkvs.master.keys.entity.Key;
import io.tdkvs.master.keys.entity.MetaKey;
import io.tdkvs.master.repair.entity.VerifyCheckpoint;
import io.tdkvs.master.topology.entity.Topology;

class RecordFormatsTest {

    @Test
    void aVerifyCheckpointRoundTripsThroughItsPinnedBytes() {
        VerifyCheckpoint checkpoint = new VerifyCheckpoint(List.of(0, 2), "2026-12-04T06:00:00Z",
                Optional.of(Key.fromUtf8("k/\u00e9".getBytes(StandardCharsets.UTF_8))), 1000, 2000, 3, 4, 5);
        DatabaseEntry written = VerifyCheckpointFormat.write(checkpoint);
        // tuple numbers are big-endian with the sign bit flipped; strings are UTF with a 0 terminator
        assertEquals("81" + "80000002" + "80000000" + "80000002" + hex("2026-12-04T06:00:00Z") + "00" + "01" + "80000004"
                + "6b2fc3a9" + "80000000000003e8" + "80000000000007d0" + "8000000000000003" + "8000000000000004"
                + "8000000000000005", hex(written));
        assertEquals(checkpoint, VerifyCheckpointFormat.read(written));
        VerifyCheckpoint first = new VerifyCheckpoint(List.of(1), "t", Optional.empty(), 0, 0, 0, 0, 0);
        assertEquals(first, VerifyCheckpointFormat.read(VerifyCheckpointFormat.write(first)));
    }

    @Test
    void theChangesOfTheGroupRoundTripThroughTheirPinnedBytes() {
        MembersStore.Changes changes = new MembersStore.Changes(
                List.of(new GroupConfig.Member("m4", URI.create("http://h:1"), new GroupConfig.Address("h", 2))), List.of("m3"));
        DatabaseEntry written = MembersFormat.write(changes);
        assertEquals("81" + "80000001" + hex("m4") + "00" + hex("http://h:1") + "00" + hex("h") + "00" + "80000002"
                + "80000001" + hex("m3") + "00", hex(written));
        assertEquals(changes, MembersFormat.read(written));
        assertEquals(MembersStore.Changes.NONE, MembersFormat.read(MembersFormat.write(MembersStore.Changes.NONE)));
    }

    private static String hex(String ascii) {
        return HexFormat.of().formatHex(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aMetakeyRoundTripsThroughItsPinnedBytes() {
        MetaKey meta = new MetaKey(List.of(3, 0x7FFFFFFF, 0), 0x0102030405060708L, 1L << 40, 0xCAFEBABE);
        DatabaseEntry written = MetaKeyFormat.write(meta);
        assertEquals("02" + "0102030405060708" + "0000010000000000" + "cafebabe" + "03" + "00000003" + "7fffffff" + "00000000",
                hex(written));
        assertEquals(meta, MetaKeyFormat.read(written));
        MetaKey single = new MetaKey(9, 1, 0, 0);
        assertEquals(single, MetaKeyFormat.read(MetaKeyFormat.write(single)));
    }

    @Test
    void aMetakeyWithAttributesRoundTripsThroughItsPinnedBytes() {
        Attributes attributes = new Attributes(0x0000018C0A0B0C0DL, "9e107d9d372bb6826bd81d3542a419d6", 3, "text/plain",
                java.util.Map.of("b", "\u00e9", "a", ""));
        MetaKey meta = new MetaKey(List.of(1, 2), 7, 43, 0x01020304, attributes);
        DatabaseEntry written = MetaKeyFormat.write(meta);
        assertEquals("03" + "0000000000000007" + "000000000000002b" + "01020304" + "02" + "00000001" + "00000002"
                + "0000018c0a0b0c0d" + "01" + "9e107d9d372bb6826bd81d3542a419d6" + "0003" + "000a" + hex("text/plain")
                + "0002" + "0001" + hex("a") + "0000" + "0001" + hex("b") + "0002" + "c3a9", hex(written));
        assertEquals(meta, MetaKeyFormat.read(written));
        MetaKey noMd5 = new MetaKey(List.of(5), 1, 0, 0, Attributes.written(1, "", "", java.util.Map.of()));
        assertEquals(noMd5, MetaKeyFormat.read(MetaKeyFormat.write(noMd5)));
        assertEquals(noMd5.heldBy(List.of(6)).attributes(), noMd5.attributes(), "a moved copy keeps its attributes");
        for (int cut = 1; cut < written.getSize() - 31; cut++) {
            DatabaseEntry shorter = new DatabaseEntry(written.getData(), 0, written.getSize() - cut);
            assertThrows(IllegalStateException.class, () -> MetaKeyFormat.read(shorter), "cut by " + cut);
        }
    }

    @Test
    void theSizesOfAnObjectsPartsRoundTripAsRunsOfEqualSizes() {
        Attributes attributes = new Attributes(1, "9e107d9d372bb6826bd81d3542a419d6", 4, "", java.util.Map.of(),
                List.of(5L << 20, 5L << 20, 5L << 20, 7L));
        MetaKey meta = new MetaKey(List.of(1), 7, (15L << 20) + 7, 0x01020304, attributes);
        DatabaseEntry written = MetaKeyFormat.write(meta);
        String v3 = hex(MetaKeyFormat.write(new MetaKey(List.of(1), 7, (15L << 20) + 7, 0x01020304, new Attributes(1,
                "9e107d9d372bb6826bd81d3542a419d6", 4, "", java.util.Map.of()))));
        assertEquals("04" + v3.substring(2) + "0002" + "0000000000500000" + "0003" + "0000000000000007" + "0001", hex(written));
        assertEquals(meta, MetaKeyFormat.read(written));
        assertEquals(List.of(), MetaKeyFormat.read(new DatabaseEntry(HexFormat.of().parseHex(v3))).attributes().partSizes(),
                "an object completed before the sizes were kept has none");
        List<Long> varied = java.util.stream.LongStream.range(0, 10_000).map(i -> (5L << 20) + i % 3).boxed().toList();
        MetaKey many = new MetaKey(List.of(1), 7, 0, 0, new Attributes(1, "", 10_000, "", java.util.Map.of(), varied));
        assertEquals(many, MetaKeyFormat.read(MetaKeyFormat.write(many)), "10,000 parts of sizes that vary");
        for (int cut = 1; cut <= 12; cut++) {
            DatabaseEntry shorter = new DatabaseEntry(written.getData(), 0, written.getSize() - cut);
            assertThrows(IllegalStateException.class, () -> MetaKeyFormat.read(shorter), "cut by " + cut);
        }
        byte[] miscounted = written.getData().clone();
        miscounted[miscounted.length - 1] = 2; // the last run: 2 parts of 7 bytes, 5 sizes for 4 parts
        assertThrows(IllegalStateException.class, () -> MetaKeyFormat.read(new DatabaseEntry(miscounted)));
        assertThrows(IllegalArgumentException.class, () -> new Attributes(1, "", 2, "", java.util.Map.of(), List.of(1L)));
    }

    @Test
    void anUploadRecordRoundTripsThroughItsPinnedBytes() {
        io.tdkvs.master.s3.entity.Upload upload = new io.tdkvs.master.s3.entity.Upload("0123456789abcdef0123456789abcdef", "bkt",
                "k/\u00e9", java.time.Instant.ofEpochMilli(0x0102030405L), "text/plain", java.util.Map.of("z", "1", "a", ""));
        DatabaseEntry written = UploadStore.write(upload);
        assertEquals("01" + "0000000102030405" + "0003" + hex("bkt") + "0004" + "6b2fc3a9" + "000a" + hex("text/plain")
                + "0002" + "0001" + hex("a") + "0000" + "0001" + hex("z") + "0001" + hex("1"), hex(written));
        assertEquals(upload, UploadStore.read(upload.id(), written));
        DatabaseEntry shorter = new DatabaseEntry(written.getData(), 0, written.getSize() - 1);
        assertThrows(IllegalStateException.class, () -> UploadStore.read(upload.id(), shorter));
    }

    @Test
    void aMetakeyWrittenBeforeCopiesIsStillRead() {
        DatabaseEntry old = new DatabaseEntry(HexFormat.of().parseHex(
                "01" + "00000003" + "0102030405060708" + "0000010000000000" + "cafebabe"));
        assertEquals(new MetaKey(3, 0x0102030405060708L, 1L << 40, 0xCAFEBABE), MetaKeyFormat.read(old));
    }

    @Test
    void aMetakeyRecordOfAnotherShapeIsRefused() {
        for (String bytes : List.of("05" + "00".repeat(30), "02" + "00".repeat(20) + "02" + "00000001",
                "01" + "00".repeat(20), "02" + "00".repeat(20) + "00")) {
            DatabaseEntry entry = new DatabaseEntry(HexFormat.of().parseHex(bytes));
            assertThrows(RuntimeException.class, () -> MetaKeyFormat.read(entry), bytes);
        }
    }

    private static String hex(DatabaseEntry entry) {
        return HexFormat.of().formatHex(entry.getData(), entry.getOffset(), entry.getOffset() + entry.getSize());
    }

    @Test
    void aTopologyRoundTripsWithDrainingAndRetiredVolumes() {
        List<VolumeUrl> urls = List.of(new VolumeUrl("http://a:1"), new VolumeUrl("http://b:2"), new VolumeUrl("http://c:3"),
                new VolumeUrl("http://d:4"));
        Topology topology = Topology.initial(urls).withDraining(1).afterMigration()
                .withDraining(0).withAdded(new VolumeUrl("http://e:5"));
        assertEquals(topology, TopologyFormat.read(TopologyFormat.write(topology)));
        assertEquals(Topology.initial(urls), TopologyFormat.read(TopologyFormat.write(Topology.initial(urls))));
        Topology copies = Topology.initial(urls).withReplicas(3);
        assertEquals(copies, TopologyFormat.read(TopologyFormat.write(copies)));
    }

    @Test
    void aTopologyWrittenBeforeCopiesKeepsOneCopy() {
        Topology topology = Topology.initial(List.of(new VolumeUrl("http://a:1"), new VolumeUrl("http://b:2"))).withDraining(0);
        byte[] current = TopologyFormat.write(topology.withReplicas(2)).getData();
        // version 1 had no replicas: the four bytes after the version and settled flag
        byte[] old = new byte[current.length - 4];
        old[0] = (byte) (current[0] - 1); // version 2 becomes 1 (tuple bytes carry a flipped sign bit)
        old[1] = current[1];
        System.arraycopy(current, 6, old, 2, current.length - 6);
        assertEquals(topology, TopologyFormat.read(new DatabaseEntry(old)));
    }
}
