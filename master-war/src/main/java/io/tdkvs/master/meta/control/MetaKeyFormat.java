package io.tdkvs.master.meta.control;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.sleepycat.je.DatabaseEntry;

import io.tdkvs.master.keys.entity.Attributes;
import io.tdkvs.master.keys.entity.MetaKey;

/**
 * The metakey record, big-endian: format version (1 byte, = 2), generation (8), size (8), CRC32C (4),
 * holder count (1, 1-255) and the holders' volume ids (4 each). The database key is the key's UTF-8
 * bytes. A value with {@link Attributes} has version 3: the same, then the time it was written (8,
 * milliseconds since the epoch), whether an MD5 follows (1, 0 or 1) and its 16 bytes, the number of
 * parts it was uploaded in (2), its content type, and its user metadata as a count (2) of name and
 * value pairs; each text is its UTF-8 length (2) and bytes. A value uploaded in parts whose sizes are
 * kept has version 4: version 3's bytes, then the part sizes in order as runs of equal sizes, a count
 * of runs (2) and each run's size (8) and number of parts (2), so that the common upload of parts of
 * one size and a last one takes 2 runs. Version 1, written before values had copies, is still read:
 * version (1 byte, = 1), volume id (4), generation (8), size (8), CRC32C (4).
 */
final class MetaKeyFormat {

    private static final byte VERSION = 2;
    private static final byte ATTRIBUTES_VERSION = 3;
    private static final byte PART_SIZES_VERSION = 4;
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
        boolean attributes = !meta.attributes().equals(Attributes.NONE);
        byte[] more = attributes ? attributes(meta.attributes()) : new byte[0];
        byte version = !attributes ? VERSION : meta.attributes().partSizes().isEmpty() ? ATTRIBUTES_VERSION : PART_SIZES_VERSION;
        ByteBuffer record = ByteBuffer.allocate(FIXED_BYTES + 4 * holders.size() + more.length)
                .put(version).putLong(meta.generation())
                .putLong(meta.size()).putInt(meta.crc32c()).put((byte) holders.size());
        holders.forEach(record::putInt);
        record.put(more);
        return new DatabaseEntry(record.array());
    }

    private static byte[] attributes(Attributes attributes) {
        byte[] contentType = Texts.utf8(attributes.contentType());
        List<byte[]> metadata = Texts.pairs(attributes.metadata());
        List<long[]> runs = runs(attributes.partSizes());
        int length = 8 + 1 + (attributes.hasMd5() ? 16 : 0) + 2 + 2 + contentType.length + 2 + Texts.size(metadata)
                + (runs.isEmpty() ? 0 : 2 + 10 * runs.size());
        ByteBuffer bytes = ByteBuffer.allocate(length).putLong(attributes.modified()).put((byte) (attributes.hasMd5() ? 1 : 0));
        if (attributes.hasMd5()) {
            bytes.put(HexFormat.of().parseHex(attributes.md5()));
        }
        bytes.putShort((short) attributes.parts());
        Texts.put(bytes, contentType);
        Texts.putPairs(bytes, metadata);
        if (!runs.isEmpty()) {
            bytes.putShort((short) runs.size());
            runs.forEach(run -> bytes.putLong(run[0]).putShort((short) run[1]));
        }
        return bytes.array();
    }

    /** Sizes as runs of equal ones: {size, how many}. */
    private static List<long[]> runs(List<Long> sizes) {
        List<long[]> runs = new ArrayList<>();
        for (long size : sizes) {
            if (!runs.isEmpty() && runs.get(runs.size() - 1)[0] == size) {
                runs.get(runs.size() - 1)[1]++;
            } else {
                runs.add(new long[] {size, 1});
            }
        }
        return runs;
    }

    private static List<Long> partSizes(ByteBuffer record) {
        int count = Short.toUnsignedInt(record.getShort());
        List<Long> sizes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long size = record.getLong();
            int parts = Short.toUnsignedInt(record.getShort());
            for (int j = 0; j < parts; j++) {
                sizes.add(size);
            }
        }
        return sizes;
    }

    static MetaKey read(DatabaseEntry entry) {
        ByteBuffer record = ByteBuffer.wrap(entry.getData(), entry.getOffset(), entry.getSize());
        byte version = record.get();
        if (version == SINGLE_COPY_VERSION && entry.getSize() == SINGLE_COPY_BYTES) {
            return new MetaKey(record.getInt(), record.getLong(), record.getLong(), record.getInt());
        }
        if ((version != VERSION && version != ATTRIBUTES_VERSION && version != PART_SIZES_VERSION) || entry.getSize() < FIXED_BYTES) {
            throw unknown(entry, version);
        }
        long generation = record.getLong();
        long size = record.getLong();
        int crc32c = record.getInt();
        int count = Byte.toUnsignedInt(record.get());
        if (version == VERSION ? entry.getSize() != FIXED_BYTES + 4 * count : entry.getSize() < FIXED_BYTES + 4 * count) {
            throw unknown(entry, version);
        }
        List<Integer> holders = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            holders.add(record.getInt());
        }
        if (version == VERSION) {
            return new MetaKey(holders, generation, size, crc32c);
        }
        try {
            long modified = record.getLong();
            String md5 = "";
            if (record.get() != 0) {
                byte[] digest = new byte[16];
                record.get(digest);
                md5 = HexFormat.of().formatHex(digest);
            }
            int parts = Short.toUnsignedInt(record.getShort());
            String contentType = Texts.read(record);
            Map<String, String> metadata = Texts.readPairs(record);
            List<Long> partSizes = version == PART_SIZES_VERSION ? partSizes(record) : List.of();
            if (record.hasRemaining() || version == PART_SIZES_VERSION && (partSizes.isEmpty() || partSizes.size() != parts)) {
                throw unknown(entry, version);
            }
            return new MetaKey(holders, generation, size, crc32c, new Attributes(modified, md5, parts, contentType, metadata,
                    partSizes));
        } catch (BufferUnderflowException e) {
            throw unknown(entry, version);
        }
    }

    private static IllegalStateException unknown(DatabaseEntry entry, byte version) {
        return new IllegalStateException("metakey record of unknown version " + version + " (" + entry.getSize() + " bytes)");
    }
}
