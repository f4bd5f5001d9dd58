package io.tdkvs.master.meta.control;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import com.sleepycat.bind.tuple.TupleInput;
import com.sleepycat.bind.tuple.TupleOutput;
import com.sleepycat.je.DatabaseEntry;

import io.tdkvs.config.GroupConfig;

/**
 * The record of the changes of the group made through the admin API, in JE's tuple encoding: format
 * version (1 byte, = 1), count (4) of the members announced and per member: name, HTTP URL, replication
 * host (UTF strings) and replication port (4); then count (4) of the members removed and their names.
 */
final class MembersFormat {

    private static final byte VERSION = 1;

    private MembersFormat() {
    }

    static DatabaseEntry write(MembersStore.Changes changes) {
        TupleOutput out = new TupleOutput();
        out.writeByte(VERSION);
        out.writeInt(changes.announced().size());
        for (GroupConfig.Member member : changes.announced()) {
            out.writeString(member.name());
            out.writeString(member.url().toString());
            out.writeString(member.replication().host());
            out.writeInt(member.replication().port());
        }
        out.writeInt(changes.removed().size());
        changes.removed().forEach(out::writeString);
        return new DatabaseEntry(out.getBufferBytes(), 0, out.getBufferLength());
    }

    static MembersStore.Changes read(DatabaseEntry entry) {
        TupleInput in = new TupleInput(entry.getData(), entry.getOffset(), entry.getSize());
        byte version = in.readByte();
        if (version != VERSION) {
            throw new IllegalStateException("members record of unknown version " + version);
        }
        List<GroupConfig.Member> members = new ArrayList<>();
        for (int i = in.readInt(); i > 0; i--) {
            members.add(new GroupConfig.Member(in.readString(), URI.create(in.readString()),
                    new GroupConfig.Address(in.readString(), in.readInt())));
        }
        List<String> removed = new ArrayList<>();
        for (int i = in.readInt(); i > 0; i--) {
            removed.add(in.readString());
        }
        return new MembersStore.Changes(members, removed);
    }
}
