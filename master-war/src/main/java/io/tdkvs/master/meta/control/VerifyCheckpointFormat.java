package io.tdkvs.master.meta.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.sleepycat.bind.tuple.TupleInput;
import com.sleepycat.bind.tuple.TupleOutput;
import com.sleepycat.je.DatabaseEntry;

import io.tdkvs.master.keys.entity.Key;
import io.tdkvs.master.repair.entity.VerifyCheckpoint;

/**
 * The verify's checkpoint record, in JE's tuple encoding: format version (1 byte, = 1), volume count
 * (4) and each volume id (4), started (UTF string), whether a last key follows (1) and its UTF-8 bytes
 * (length 4, then the bytes), then keys, copies, missing, damaged, unrepairable (8 each).
 */
final class VerifyCheckpointFormat {

    private static final byte VERSION = 1;

    private VerifyCheckpointFormat() {
    }

    static DatabaseEntry write(VerifyCheckpoint checkpoint) {
        TupleOutput out = new TupleOutput();
        out.writeByte(VERSION);
        out.writeInt(checkpoint.volumes().size());
        checkpoint.volumes().forEach(out::writeInt);
        out.writeString(checkpoint.started());
        out.writeBoolean(checkpoint.after().isPresent());
        checkpoint.after().ifPresent(key -> {
            out.writeInt(key.utf8().length);
            out.writeFast(key.utf8());
        });
        out.writeLong(checkpoint.keys());
        out.writeLong(checkpoint.copies());
        out.writeLong(checkpoint.missing());
        out.writeLong(checkpoint.damaged());
        out.writeLong(checkpoint.unrepairable());
        return new DatabaseEntry(out.getBufferBytes(), 0, out.getBufferLength());
    }

    static VerifyCheckpoint read(DatabaseEntry entry) {
        TupleInput in = new TupleInput(entry.getData(), entry.getOffset(), entry.getSize());
        byte version = in.readByte();
        if (version != VERSION) {
            throw new IllegalStateException("verify checkpoint record of unknown version " + version);
        }
        List<Integer> volumes = new ArrayList<>();
        for (int i = in.readInt(); i > 0; i--) {
            volumes.add(in.readInt());
        }
        String started = in.readString();
        Optional<Key> after = Optional.empty();
        if (in.readBoolean()) {
            byte[] utf8 = new byte[in.readInt()];
            in.readFast(utf8);
            after = Optional.of(Key.fromUtf8(utf8));
        }
        return new VerifyCheckpoint(volumes, started, after, in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                in.readLong());
    }
}
