package io.tdkvs.master.meta.control;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import com.sleepycat.je.DatabaseEntry;

import io.tdkvs.master.keys.entity.MetaKey;

/**
 * The metakey record, big-endian: format version (1 byte, = 2), generation (8), size (8), CRC32C (4),
 * holder count (1, 1-255) and the holders' volume ids (4 each). The database key is the key's UTF-8
 * bytes. Version 1, written before values had copies, is still read: version (1 byte, = 1), volume
 * id (4), generation (8), size (8), CRC32C (4).
 */
final class MetaKeyFormat {

    private static final byte VERSION = 2;
    private static final byte SINGLE_COPY_VERSION = 1;
    private static final int SINGLE_COPY_BYTES = 25;
    private static final int FIXED_BYTES = 22;
    static final int MAX_HOLDERS = 255;

    private MetaKeyFormat() {
    }

    static DatabaseEntry write(MetaKey meta) {
        List<Integer> holders = meta.holders();
        if (holders.size() > MAX_HOLDERS) {
            throw new IllegalArgumentException("a metakey records at most " + MAX_HOLDERS + " holders, not " + holders.size());
        }
        ByteBuffer record = ByteBuffer.allocate(FIXED_BYTES + 4 * holders.size()).put(VERSION).putLong(meta.generation())
                .putLong(meta.size()).putInt(meta.crc32c()).put((byte) holders.size());
        holders.forEach(record::putInt);
        return new DatabaseEntry(record.array());
    }

    static MetaKey read(DatabaseEntry entry) {
        ByteBuffer record = ByteBuffer.wrap(entry.getData(), entry.getOffset(), entry.getSize());
        byte version = record.get();
        if (version == SINGLE_COPY_VERSION && entry.getSize() == SINGLE_COPY_BYTES) {
            return new MetaKey(record.getInt(), record.getLong(), record.getLong(), record.getInt());
        }
        if (version != VERSION || entry.getSize() < FIXED_BYTES) {
            throw unknown(entry, version);
        }
        long generation = record.getLong();
        long size = record.getLong();
        int crc32c = record.getInt();
        int count = Byte.toUnsignedInt(record.get());
        if (entry.getSize() != FIXED_BYTES + 4 * count) {
            throw unknown(entry, version);
        }
        List<Integer> holders = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            holders.add(record.getInt());
        }
        return new MetaKey(holders, generation, size, crc32c);
    }

    private static IllegalStateException unknown(DatabaseEntry entry, byte version) {
        return new IllegalStateException("metakey record of unknown version " + version + " (" + entry.getSize() + " bytes)");
    }
}
