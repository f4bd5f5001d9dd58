package io.tdkvs.volume.blobs.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tdkvs.protocol.BlobFile;
import io.tdkvs.protocol.BlobName;

class ScrubberTest {

    @TempDir
    Path root;

    @Test
    void aPassFindsTheDamagedBlobAndADeleteForgetsIt() throws Exception {
        BlobStore store = new BlobStore(root);
        List<BlobName> names = List.of(write(store, "a", 1000), write(store, "b", 100_000), write(store, "c", 0));
        flipByte(names.get(1), 100_000, 77_777);
        Scrubber scrubber = new Scrubber(store, 1L << 30);
        scrubber.pass();
        assertEquals(1, store.damagedCount());
        assertEquals(List.of(names.get(1).value()), store.damagedNames());
        assertEquals(3, scrubber.progress().blobs());
        assertEquals(1000, scrubber.progress().bytes(), "the bytes of the values found whole");
        store.delete(names.get(1));
        assertEquals(0, store.damagedCount());
        scrubber.pass();
        assertEquals(0, store.damagedCount());
    }

    /** 200,000 bytes at 100,000 bytes per second: the pass takes at least about two seconds. */
    @Test
    void aPassKeepsToItsRate() throws Exception {
        BlobStore store = new BlobStore(root);
        for (int i = 0; i < 4; i++) {
            write(store, "k" + i, 50_000);
        }
        Scrubber scrubber = new Scrubber(store, 100_000);
        long started = System.nanoTime();
        scrubber.pass();
        double seconds = (System.nanoTime() - started) / 1e9;
        assertTrue(seconds >= 1.4, "a pass over 200,000 bytes at 100,000 bytes/s took " + seconds + " s");
        assertEquals(200_000, scrubber.progress().bytes());
    }

    @Test
    void aRateOfZeroStartsNothing() {
        Scrubber scrubber = new Scrubber(new BlobStore(root), 0);
        scrubber.start();
        assertEquals(0, scrubber.progress().rate());
        assertEquals(0, scrubber.progress().passes());
    }

    private static BlobName write(BlobStore store, String key, int size) {
        BlobName name = BlobName.of(key.getBytes(StandardCharsets.UTF_8), 1);
        store.write(name, key.getBytes(StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[size]), OptionalLong.empty());
        return name;
    }

    private void flipByte(BlobName name, int size, int at) throws IOException {
        Path file = root.resolve("blobs").resolve(name.relativePath());
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - BlobFile.TRAILER_BYTES - size + at] ^= 0x20;
        Files.write(file, bytes);
    }
}
