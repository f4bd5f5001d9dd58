package io.tdkvs.master.keys.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tdkvs.master.keys.entity.Key;
import io.tdkvs.master.keys.entity.MetaKey;

class ValueCacheTest {

    private static final Key KEY = Key.of("photos/cat.jpg");

    private static MetaKey meta(long generation, byte[] value) {
        return new MetaKey(List.of(1, 2), generation, value.length, ValueCache.crc32c(value));
    }

    @Test
    void aValueIsFoundOnlyAtItsOwnGeneration() {
        ValueCache cache = new ValueCache(1 << 20);
        byte[] old = "old".getBytes(StandardCharsets.UTF_8);
        byte[] next = "new".getBytes(StandardCharsets.UTF_8);
        assertTrue(cache.put(KEY, meta(7, old), old));
        assertArrayEquals(old, cache.get(KEY, meta(7, old)).orElseThrow());
        assertTrue(cache.get(KEY, meta(8, next)).isEmpty(), "a write's new generation never finds the old value");
        assertTrue(cache.get(Key.of("photos/dog.jpg"), meta(7, old)).isEmpty());
        assertArrayEquals(old, cache.get(KEY, meta(7, old).heldBy(List.of(3))).orElseThrow(), "a moved copy is the same value");
        ValueCache.Figures figures = cache.figures();
        assertEquals(2, figures.hits());
        assertEquals(2, figures.misses());
        assertEquals(1, figures.entries());
    }

    @Test
    void aReplacedOrDeletedValueIsForgotten() {
        ValueCache cache = new ValueCache(1 << 20);
        byte[] value = "value".getBytes(StandardCharsets.UTF_8);
        cache.put(KEY, meta(3, value), value);
        cache.forget(KEY, meta(4, value));
        assertEquals(1, cache.figures().entries(), "another generation's value is not this one");
        cache.forget(KEY, meta(3, value));
        assertEquals(0, cache.figures().entries());
        assertEquals(0, cache.figures().bytes());
    }

    @Test
    void bytesThatAreNotTheMetakeysAreRefused() {
        ValueCache cache = new ValueCache(1 << 20);
        byte[] value = "value".getBytes(StandardCharsets.UTF_8);
        byte[] damaged = value.clone();
        damaged[0] ^= 1;
        assertFalse(cache.put(KEY, meta(1, value), damaged));
        assertFalse(cache.put(KEY, meta(1, value), Arrays.copyOf(value, 4)));
        assertTrue(cache.get(KEY, meta(1, value)).isEmpty());
    }

    @Test
    void onlySmallValuesAreKept() {
        ValueCache cache = new ValueCache(1 << 30);
        byte[] largest = new byte[ValueCache.LARGEST];
        byte[] larger = new byte[ValueCache.LARGEST + 1];
        assertTrue(cache.keeps(meta(1, largest)));
        assertFalse(cache.keeps(meta(2, larger)));
        assertTrue(cache.put(KEY, meta(2, larger), larger), "the bytes are right, though not kept");
        assertTrue(cache.get(KEY, meta(2, larger)).isEmpty());
        assertEquals(0, cache.figures().misses(), "a read of a value the cache does not keep is no miss");
    }

    @Test
    void itHoldsAtMostItsCapacity() {
        ValueCache cache = new ValueCache(1 << 20);
        for (int i = 0; i < 200; i++) {
            byte[] value = new byte[16 * 1024];
            value[0] = (byte) i;
            cache.put(Key.of("k" + i), meta(i, value), value);
        }
        ValueCache.Figures figures = cache.figures();
        assertTrue(figures.bytes() <= 1 << 20, figures.toString());
        assertTrue(figures.entries() < 64, figures.toString());
        assertTrue(figures.entries() > 0, figures.toString());
    }

    @Test
    void offKeepsNothing() {
        ValueCache cache = new ValueCache(0);
        byte[] value = "v".getBytes(StandardCharsets.UTF_8);
        assertFalse(cache.keeps(meta(1, value)));
        assertTrue(cache.put(KEY, meta(1, value), value));
        assertTrue(cache.get(KEY, meta(1, value)).isEmpty());
        assertEquals(new ValueCache.Figures(0, 0, 0, 0, 0), cache.figures());
    }
}
