package io.tdkvs.master.meta.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.sleepycat.je.DatabaseEntry;

import io.tdkvs.config.VolumeUrl;
import io.tdkvs.master.keys.entity.MetaKey;
import io.tdkvs.master.topology.entity.Topology;

class RecordFormatsTest {

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
    void aMetakeyWrittenBeforeCopiesIsStillRead() {
        DatabaseEntry old = new DatabaseEntry(HexFormat.of().parseHex(
                "01" + "00000003" + "0102030405060708" + "0000010000000000" + "cafebabe"));
        assertEquals(new MetaKey(3, 0x0102030405060708L, 1L << 40, 0xCAFEBABE), MetaKeyFormat.read(old));
    }

    @Test
    void aMetakeyRecordOfAnotherShapeIsRefused() {
        for (String bytes : List.of("03" + "00".repeat(30), "02" + "00".repeat(20) + "02" + "00000001",
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
