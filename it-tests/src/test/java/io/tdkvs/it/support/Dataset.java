package io.tdkvs.it.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A set of keys with values derived from them, written and checked in parallel. */
public final class Dataset {

    private final String prefix;
    private final int size;

    public Dataset(String prefix, int size) {
        this.prefix = prefix;
        this.size = size;
    }

    public String key(int i) {
        return prefix + "/key-" + i;
    }

    /** Values of varied length (0 to ~3 KiB), binary, different for every key. */
    public byte[] value(int i) {
        byte[] seed = key(i).getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[(i * 37) % 3000];
        for (int j = 0; j < value.length; j++) {
            value[j] = (byte) (seed[j % seed.length] * 31 + j);
        }
        return value;
    }

    public void write(Store store) {
        Parallel.forEach(size, i -> assertEquals(201, store.put(key(i), value(i)).status(), key(i)));
    }

    /** Every key reads back byte for byte. */
    public void verify(Store store) {
        Parallel.forEach(size, i -> {
            Reply answer = store.get(key(i));
            assertEquals(200, answer.status(), () -> key(i) + ": " + answer);
            assertArrayEquals(value(i), answer.body(), key(i));
        });
    }

    public List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            keys.add(key(i));
        }
        return keys;
    }

    public int size() {
        return size;
    }
}
