package io.tdkvs.master.meta.control;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.sleepycat.bind.tuple.TupleInput;
import com.sleepycat.bind.tuple.TupleOutput;
import com.sleepycat.je.DatabaseEntry;

import io.tdkvs.config.VolumeUrl;
import io.tdkvs.master.topology.entity.Memento;
import io.tdkvs.master.topology.entity.Topology;
import io.tdkvs.master.topology.entity.Volume;
import io.tdkvs.master.topology.entity.VolumeState;

/**
 * The topology record, written with JE's tuple encoding (numbers big-endian with the sign bit
 * flipped, strings as modified UTF-8 with a terminator): format version (1 byte, = 2), settled (1), replicas (4), next volume id (4),
 * memento size (4), memento last removed (4), removed count (4) and per removed bucket: bucket,
 * replacer, previous (4 each); volume count (4) and per volume: id (4), URL (UTF string), bucket (4),
 * state (1: 0 active, 1 draining); retired count (4) and per retired volume its URL. Version 1, written
 * before values had copies, lacks replicas, which is then 1.
 */
final class TopologyFormat {

    private static final byte VERSION = 2;
    private static final byte SINGLE_COPY_VERSION = 1;

    private TopologyFormat() {
    }

    static DatabaseEntry write(Topology topology) {
        TupleOutput out = new TupleOutput();
        out.writeByte(VERSION);
        out.writeBoolean(topology.settled());
        out.writeInt(topology.replicas());
        out.writeInt(topology.nextVolumeId());
        Memento memento = topology.memento();
        out.writeInt(memento.size());
        out.writeInt(memento.lastRemoved());
        out.writeInt(memento.removed().size());
        memento.removed().forEach((bucket, removal) -> {
            out.writeInt(bucket);
            out.writeInt(removal.replacer());
            out.writeInt(removal.previous());
        });
        out.writeInt(topology.volumes().size());
        for (Volume volume : topology.volumes()) {
            out.writeInt(volume.id());
            out.writeString(volume.url().value());
            out.writeInt(volume.bucket());
            out.writeByte(volume.state() == VolumeState.ACTIVE ? 0 : 1);
        }
        out.writeInt(topology.retired().size());
        topology.retired().forEach(url -> out.writeString(url.value()));
        return new DatabaseEntry(out.getBufferBytes(), 0, out.getBufferLength());
    }

    static Topology read(DatabaseEntry entry) {
        TupleInput in = new TupleInput(entry.getData(), entry.getOffset(), entry.getSize());
        byte version = in.readByte();
        if (version != VERSION && version != SINGLE_COPY_VERSION) {
            throw new IllegalStateException("topology record of unknown version " + version);
        }
        boolean settled = in.readBoolean();
        int replicas = version == SINGLE_COPY_VERSION ? 1 : in.readInt();
        int nextVolumeId = in.readInt();
        int size = in.readInt();
        int lastRemoved = in.readInt();
        Map<Integer, Memento.Removal> removed = new HashMap<>();
        for (int i = in.readInt(); i > 0; i--) {
            removed.put(in.readInt(), new Memento.Removal(in.readInt(), in.readInt()));
        }
        List<Volume> volumes = new ArrayList<>();
        for (int i = in.readInt(); i > 0; i--) {
            volumes.add(new Volume(in.readInt(), new VolumeUrl(in.readString()), in.readInt(),
                    in.readByte() == 0 ? VolumeState.ACTIVE : VolumeState.DRAINING));
        }
        List<VolumeUrl> retired = new ArrayList<>();
        for (int i = in.readInt(); i > 0; i--) {
            retired.add(new VolumeUrl(in.readString()));
        }
        return new Topology(volumes, new Memento(size, lastRemoved, removed), nextVolumeId, retired, settled, replicas);
    }
}
