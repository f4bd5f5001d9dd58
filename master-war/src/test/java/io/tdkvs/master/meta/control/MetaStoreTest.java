package io.tdkvs.master.meta.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tdkvs.config.VolumeUrl;
import io.tdkvs.master.keys.entity.Attributes;
import io.tdkvs.master.keys.entity.Key;
import io.tdkvs.master.keys.entity.MetaKey;
import io.tdkvs.master.topology.entity.Topology;

class MetaStoreTest {

    @TempDir
    Path dir;

    private Database database;
    private MetaStore store;

    @BeforeEach
    void open() {
        database = new Database(dir.resolve("index"));
        store = new MetaStore(database);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void putAnswersThePreviousMetakeyAndRemoveForgetsIt() {
        Key key = Key.of("a/b?c");
        assertEquals(Optional.empty(), store.put(key, new MetaKey(0, 1, 10, 7)));
        assertEquals(Optional.of(new MetaKey(0, 1, 10, 7)), store.put(key, new MetaKey(1, 2, 3, 4)));
        assertEquals(Optional.of(new MetaKey(1, 2, 3, 4)), store.get(key));
        assertEquals(Optional.of(new MetaKey(1, 2, 3, 4)), store.remove(key));
        assertEquals(Optional.empty(), store.remove(key));
        assertEquals(Optional.empty(), store.get(key));
    }

    @Test
    void keysAreListedByPrefixInByteOrderAPageAfterAnother() {
        for (String key : List.of("b", "a/2", "a/10", "a/1", "a", "ab", "a/é", "a/z", "c")) {
            store.put(Key.of(key), new MetaKey(0, 1, 1, 1));
        }
        assertEquals(List.of("a/1", "a/10", "a/2"), keys("a/", Optional.empty(), 3));
        assertEquals(List.of("a/z", "a/é"), keys("a/", Optional.of("a/2"), 3), "UTF-8 byte order: é after z");
        assertEquals(List.of(), keys("a/", Optional.of("a/é"), 3));
        assertEquals(List.of("a/1", "a/10"), keys("a/", Optional.of("0"), 2), "an after before the prefix starts it");
        assertEquals(List.of("a", "a/1"), keys("", Optional.empty(), 2));
        assertEquals(List.of("b", "c"), keys("", Optional.of("ab"), 10));
        assertEquals(List.of(), keys("zz", Optional.empty(), 10));
    }

    private List<String> keys(String prefix, Optional<String> after, int limit) {
        return store.keys(prefix.getBytes(java.nio.charset.StandardCharsets.UTF_8), after.map(Key::of), limit).stream()
                .map(Key::value).toList();
    }

    @Test
    void concurrentFirstWritesOfAKeyFindExactlyOneOfThemNew() throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(16);
        try {
            for (int round = 0; round < 20; round++) {
                Key key = Key.of("race-" + round);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Optional<MetaKey>>> results = new ArrayList<>();
                for (int w = 0; w < 16; w++) {
                    int writer = w;
                    results.add(writers.submit(() -> {
                        start.await();
                        return store.put(key, new MetaKey(0, writer, writer, writer));
                    }));
                }
                start.countDown();
                int created = 0;
                for (Future<Optional<MetaKey>> result : results) {
                    created += result.get().isEmpty() ? 1 : 0;
                }
                assertEquals(1, created, "round " + round);
            }
        } finally {
            writers.shutdownNow();
        }
    }

    @Test
    void replaceAllIfLosesEachKeyToAWriteThatCameBetween() {
        Key a = Key.of("a");
        Key b = Key.of("b");
        Key gone = Key.of("gone");
        store.put(a, new MetaKey(0, 1, 10, 7));
        store.put(b, new MetaKey(0, 2, 10, 7));
        store.put(b, new MetaKey(1, 3, 11, 8));
        boolean[] replaced = store.replaceAllIf(List.of(
                new MetaStore.Swap(a, new MetaKey(0, 1, 10, 7), new MetaKey(2, 1, 10, 7)),
                new MetaStore.Swap(b, new MetaKey(0, 2, 10, 7), new MetaKey(2, 2, 10, 7)),
                new MetaStore.Swap(gone, new MetaKey(0, 4, 10, 7), new MetaKey(2, 4, 10, 7))));
        assertArrayEquals(new boolean[] {true, false, false}, replaced);
        assertEquals(Optional.of(new MetaKey(2, 1, 10, 7)), store.get(a));
        assertEquals(Optional.of(new MetaKey(1, 3, 11, 8)), store.get(b));
        assertEquals(Optional.empty(), store.get(gone));
    }

    /** More keys than one transaction takes: each is forgotten only if its metakey did not change. */
    @Test
    void removeAllIfForgetsOnlyUnchangedKeysAcrossBatches() {
        int keys = MetaStore.WRITE_BATCH * 2 + 500;
        List<MetaStore.Entry> toForget = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            Key key = Key.of("k" + i);
            MetaKey meta = new MetaKey(0, i, 10, 7);
            store.put(key, meta);
            toForget.add(new MetaStore.Entry(key, meta));
        }
        Key changed = Key.of("k" + (MetaStore.WRITE_BATCH + 1));
        store.put(changed, new MetaKey(1, keys, 10, 7));
        toForget.add(new MetaStore.Entry(Key.of("never-written"), new MetaKey(0, 1, 1, 1)));
        assertEquals(keys - 1, store.removeAllIf(toForget));
        assertEquals(1, store.count());
        assertEquals(Optional.of(new MetaKey(1, keys, 10, 7)), store.get(changed));
    }

    @Test
    void aRebuildKeepsTheNewestGenerationWithEveryCopyOfIt() {
        Key key = Key.of("k");
        Key other = Key.of("other");
        assertEquals(4, store.putNewest(List.of(
                new MetaStore.Entry(key, new MetaKey(0, 3, 10, 7)),
                new MetaStore.Entry(key, new MetaKey(1, 5, 12, 8)),
                new MetaStore.Entry(key, new MetaKey(2, 4, 11, 9)),
                new MetaStore.Entry(key, new MetaKey(2, 5, 12, 8)),
                new MetaStore.Entry(key, new MetaKey(2, 5, 12, 8)),
                new MetaStore.Entry(other, new MetaKey(0, 2, 1, 1)),
                new MetaStore.Entry(other, new MetaKey(1, 2, 1, 2)))));
        assertEquals(Optional.of(new MetaKey(List.of(1, 2), 5, 12, 8)), store.get(key));
        assertEquals(Optional.of(new MetaKey(0, 2, 1, 1)), store.get(other), "a copy with another checksum is not the same value");
    }

    @Test
    void aRebuiltValueKeepsTheTimeOfItsEarliestWrittenCopy() {
        Key key = Key.of("k");
        Attributes moved = new Attributes(2_000, "", 0, "", Map.of());
        Attributes written = new Attributes(1_000, "", 0, "", Map.of());
        store.putNewest(List.of(
                new MetaStore.Entry(key, new MetaKey(List.of(0), 5, 12, 8, moved)),
                new MetaStore.Entry(key, new MetaKey(List.of(1), 5, 12, 8, written)),
                new MetaStore.Entry(key, new MetaKey(List.of(2), 5, 12, 8, Attributes.NONE))));
        assertEquals(Optional.of(new MetaKey(List.of(0, 1, 2), 5, 12, 8, written)), store.get(key));
    }

    @Test
    void keysTopologyAndGenerationsSurviveAReopen() {
        Topology topology = Topology.initial(List.of(new VolumeUrl("http://a:1"), new VolumeUrl("http://b:2")));
        store.put(Key.of("kept"), new MetaKey(1, 5, 6, 7));
        new TopologyStore(database).save(topology);
        long generation = store.nextGeneration();
        database.close();

        open();
        assertEquals(Optional.of(new MetaKey(1, 5, 6, 7)), store.get(Key.of("kept")));
        assertEquals(Optional.of(topology), new TopologyStore(database).load());
        assertTrue(store.nextGeneration() > generation);
    }

    @Test
    void scanWalksEveryKeyInBatches() {
        for (int i = 0; i < 25; i++) {
            store.put(Key.of(String.format("key-%02d", i)), new MetaKey(0, i, i, i));
        }
        List<String> seen = new ArrayList<>();
        Optional<Key> after = Optional.empty();
        for (List<MetaStore.Entry> batch; !(batch = store.scan(after, 10)).isEmpty(); ) {
            batch.forEach(entry -> seen.add(entry.key().value()));
            after = Optional.of(batch.get(batch.size() - 1).key());
        }
        assertEquals(25, seen.size());
        assertEquals("key-00", seen.get(0));
        assertEquals("key-24", seen.get(24));
        assertEquals(25, store.count());
    }
}
