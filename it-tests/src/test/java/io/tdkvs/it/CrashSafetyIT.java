package io.tdkvs.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.tdkvs.it.support.Cluster;
import io.tdkvs.it.support.Reply;
import io.tdkvs.it.support.Store;
import io.tdkvs.it.support.RawHttp;

/** A crash loses no acknowledged write, and a broken upload changes nothing. */
class CrashSafetyIT {

    @Test
    void killingTheMasterUnderWritesLosesNoAcknowledgedWrite() throws Exception {
        try (Cluster cluster = Cluster.start("crash", 2)) {
            Store store = cluster.store();
            int writers = 8;
            int keysPerWriter = 50;
            Map<String, byte[]> acknowledged = new ConcurrentHashMap<>();
            Map<String, byte[]> inFlight = new ConcurrentHashMap<>();
            AtomicBoolean crashed = new AtomicBoolean();
            AtomicLong writes = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            for (int w = 0; w < writers; w++) {
                int writer = w;
                pool.submit(() -> {
                    for (int round = 0; !crashed.get(); round++) {
                        String key = "crash-" + writer + "-" + (round % keysPerWriter);
                        byte[] value = ("writer " + writer + " round " + round + " ").repeat(1 + round % 40).getBytes(StandardCharsets.UTF_8);
                        inFlight.put(key, value);
                        try {
                            int status = store.put(key, value).status();
                            if (status == 201 || status == 204) {
                                acknowledged.put(key, value);
                                writes.incrementAndGet();
                            }
                        } catch (RuntimeException e) {
                            return;
                        }
                    }
                });
            }
            while (writes.get() < 1500) {
                Thread.sleep(20);
            }
            cluster.master().kill();
            crashed.set(true);
            pool.shutdown();
            assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));

            cluster.startMaster();
            int checked = 0;
            for (Map.Entry<String, byte[]> entry : acknowledged.entrySet()) {
                byte[] stored = store.get(entry.getKey()).body();
                boolean lastAcknowledged = Arrays.equals(entry.getValue(), stored);
                boolean unacknowledgedLater = Arrays.equals(inFlight.get(entry.getKey()), stored);
                assertTrue(lastAcknowledged || unacknowledgedLater, entry.getKey() + " lost its last acknowledged value");
                checked++;
            }
            System.out.printf("kill -9 of the master after %d acknowledged writes: %d keys checked, none lost%n", writes.get(), checked);
            assertEquals(writers * keysPerWriter, checked);
        }
    }

    /** A value that fits in one chunk is read whole before it goes to a volume; a longer one is streamed to it. */
    @Test
    void anUploadThatBreaksOffLeavesTheOldValue() {
        try (Cluster cluster = Cluster.start("broken-upload", 1)) {
            Store store = cluster.store();
            assertEquals(201, store.put("broken", "old value".getBytes(StandardCharsets.UTF_8)).status());
            for (int announced : new int[] {60_000, 1 << 20}) {
                Reply answer = RawHttp.sendPartial(cluster.masterUri(), "PUT", "/set/broken", announced, 10_000);
                assertTrue(answer == null || answer.status() >= 400, () -> "a broken upload was acknowledged: " + answer);
                assertArrayEquals("old value".getBytes(StandardCharsets.UTF_8), store.get("broken").body());
                assertEquals(1, Store.blobKeys(cluster.volume(0).uri()).size(), "no partial value left on the volume");
            }
        }
    }
}
