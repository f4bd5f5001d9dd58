package io.tdkvs.master.meta.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        MetaKey meta = new MetaKey(3, 0x0102030405060708L, 1L << 40, 0xCAFEBABE);
        DatabaseEntry written = MetaKeyFormat.write(meta);
        assertEquals("01" + "00000003" + "0102030405060708" + "0000010000000000" + "cafebabe",
                HexFormat.of().formatHex(written.getData(), written.getOffset(), written.getOffset() + written.getSize()));
        assertEquals(meta, MetaKeyFormat.read(written));
    }

    @Test
    void aTopologyRoundTripsWithDrainingAndRetiredVolumes() {
        List<VolumeUrl> urls = List.of(new VolumeUrl("http://a:1"), new VolumeUrl("http://b:2"), new VolumeUrl("http://c:3"),
                new VolumeUrl("http://d:4"));
        Topology topology = Topology.initial(urls).withDraining(1).afterMigration()
                .withDraining(0).withAdded(new VolumeUrl("http://e:5"));
        assertEquals(topology, TopologyFormat.read(TopologyFormat.write(topology)));
        assertEquals(Topology.initial(urls), TopologyFormat.read(TopologyFormat.write(Topology.initial(urls))));
    }
}
