package io.tdkvs.master.meta.control;

import java.nio.ByteBuffer;

import com.sleepycat.je.DatabaseEntry;

import io.tdkvs.master.keys.entity.MetaKey;

/**
 * The metakey record: format version (1 byte, = 1), volume id (4), generation (8), size (8),
 * CRC32C (4); big-endian, 25 bytes. The database key is the key's UTF-8 bytes.
 */
final class MetaKeyFormat {

    private static final byte VERSION = 1;
    private static final int BYTES = 25;

    private MetaKeyFormat() {
    }

    static DatabaseEntry write(MetaKey meta) {
        ByteBuffer record = ByteBuffer.allocate(BYTES).put(VERSION).putInt(meta.volumeId())
                .putLong(meta.generation()).putLong(meta.size()).putInt(meta.crc32c());
        return new DatabaseEntry(record.array());
    }

    static MetaKey read(DatabaseEntry entry) {
        ByteBuffer record = ByteBuffer.wrap(entry.getData(), entry.getOffset(), entry.getSize());
        byte version = record.get();
        if (version != VERSION || entry.getSize() != BYTES) {
            throw new IllegalStateException("metakey record of unknown version " + version + " (" + entry.getSize() + " bytes)");
        }
        return new MetaKey(record.getInt(), record.getLong(), record.getLong(), record.getInt());
    }
}
