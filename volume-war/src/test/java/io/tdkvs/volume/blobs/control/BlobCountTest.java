package io.tdkvs.volume.blobs.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tdkvs.protocol.BlobName;

class BlobCountTest {

    @TempDir
    Path root;

    @Test
    void theCountIsExactWhenWritesAndDeletesRaceTheFirstCount() throws Exception {
        BlobStore first = new BlobStore(root);
        for (int i = 0; i < 500; i++) {
            write(first, "before-" + i);
        }
        BlobStore store = new BlobStore(root);
        ExecutorService writers = Executors.newFixedThreadPool(4);
        List<Future<?>> work = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int writer = w;
            work.add(writers.submit(() -> {
                for (int i = 0; i < 200; i++) {
                    write(store, "during-" + writer + "-" + i);
                    if (i % 4 == 0) {
                        store.delete(name("before-" + (writer * 100 + i / 4)));
                    }
                }
                return null;
            }));
        }
        for (Future<?> done : work) {
            done.get();
        }
        writers.shutdown();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (store.blobCount() < 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(500 + 800 - 200, store.blobCount());
        store.deleteAll(List.of(name("during-0-0"), name("during-0-1"), name("no-such-key")));
        assertEquals(1098, store.blobCount());
        write(store, "during-0-2");
        assertEquals(1098, store.blobCount(), "a blob written again under its name is counted once");
    }

    private static void write(BlobStore store, String key) {
        byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
        store.write(name(key), utf8, new ByteArrayInputStream(utf8), OptionalLong.empty());
    }

    private static BlobName name(String key) {
        return BlobName.of(key.getBytes(StandardCharsets.UTF_8), 1);
    }
}
