package io.tdkvs.master.meta.control;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import com.sleepycat.bind.tuple.TupleInput;
import com.sleepycat.bind.tuple.TupleOutput;
import com.sleepycat.je.DatabaseEntry;

import io.tdkvs.config.GroupConfig;

/**
 * The record of the masters added to the group through the admin API, in JE's tuple encoding: format
 * version (1 byte, = 1), member count (4) and per member: name, HTTP URL, replication host (UTF strings)
 * and replication port (4).
 */
final class MembersFormat {

    private static final byte VERSION = 1;

    private MembersFormat() {
    }

    static DatabaseEntry write(List<GroupConfig.Member> members) {
        TupleOutput out = new TupleOutput();
        out.writeByte(VERSION);
        out.writeInt(members.size());
        for (GroupConfig.Member member : members) {
            out.writeString(member.name());
            out.writeString(member.url().toString());
            out.writeString(member.replication().host());
            out.writeInt(member.replication().port());
        }
        return new DatabaseEntry(out.getBufferBytes(), 0, out.getBufferLength());
    }

    static List<GroupConfig.Member> read(DatabaseEntry entry) {
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
        return members;
    }
}
