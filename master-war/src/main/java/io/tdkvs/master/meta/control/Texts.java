package io.tdkvs.master.meta.control;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Texts in the index's records: each its UTF-8 length (2 bytes, unsigned) and its bytes; name and value maps as a count (2) and pairs. */
final class Texts {

    private Texts() {
    }

    static byte[] utf8(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0xffff) {
            throw new IllegalArgumentException("a text of an index record is at most 65535 bytes, not " + bytes.length);
        }
        return bytes;
    }

    /** The bytes {@code texts} take in a record. */
    static int size(List<byte[]> texts) {
        return texts.stream().mapToInt(text -> 2 + text.length).sum();
    }

    static void put(ByteBuffer record, byte[] text) {
        record.putShort((short) text.length).put(text);
    }

    static String read(ByteBuffer record) {
        byte[] text = new byte[Short.toUnsignedInt(record.getShort())];
        record.get(text);
        return new String(text, StandardCharsets.UTF_8);
    }

    /** A map's names and values, in its order, as texts. */
    static List<byte[]> pairs(Map<String, String> map) {
        List<byte[]> texts = new ArrayList<>();
        map.forEach((name, value) -> {
            texts.add(utf8(name));
            texts.add(utf8(value));
        });
        return texts;
    }

    /** Writes a map as its count (2 bytes) and its pairs, made by {@link #pairs}. */
    static void putPairs(ByteBuffer record, List<byte[]> pairs) {
        record.putShort((short) (pairs.size() / 2));
        pairs.forEach(text -> put(record, text));
    }

    static Map<String, String> readPairs(ByteBuffer record) {
        int count = Short.toUnsignedInt(record.getShort());
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            map.put(read(record), read(record));
        }
        return map;
    }
}
