package io.tdkvs.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tdkvs.it.support.Cluster;
import io.tdkvs.it.support.Reply;
import io.tdkvs.it.support.Store;

/**
 * A volume that stops answering, with one copy of each key: its keys answer 503 naming it, the others
 * keep working, and it comes back. One that hangs (SIGSTOP) answers 503 naming it within 5 s.
 */
class VolumeOutageIT {

    @Test
    void aStoppedVolumeAnswers503NamingItAndItsKeysComeBackWithIt() {
        try (Cluster cluster = Cluster.start("outage", 2)) {
            Store store = cluster.store();
            for (int i = 0; i < 40; i++) {
                assertEquals(201, store.put("outage-" + i, value(i)).status());
            }
            List<String> onSecond = Store.blobKeys(cluster.volume(1).uri());
            List<String> onFirst = Store.blobKeys(cluster.volume(0).uri());
            assertTrue(!onSecond.isEmpty() && !onFirst.isEmpty(), "both volumes hold keys");
            String down = cluster.volume(1).uri().toString();

            cluster.volume(1).stop();
            Reply get = store.get(onSecond.get(0));
            assertEquals(503, get.status(), get::toString);
            assertTrue(get.text().contains("volume " + down + " is unavailable"), get::toString);
            assertEquals("5", get.header("Retry-After"));
            assertEquals(503, store.put(onSecond.get(0), value(99)).status(), "a write placed on it fails cleanly");
            assertArrayEquals(value(index(onFirst.get(0))), store.get(onFirst.get(0)).body(), "the other volume still serves");

            cluster.volume(1).start().awaitReady();
            for (String key : onSecond) {
                assertArrayEquals(value(index(key)), store.get(key).body(), key);
            }

            String hung = cluster.volume(0).uri().toString();
            String read = onFirst.get(0); // read above: the master keeps it (valueCache)
            String key = onFirst.get(onFirst.size() - 1); // never read: the master must ask its volume
            assertTrue(onFirst.size() > 1, "keys on the first volume: " + onFirst);
            cluster.volume(0).signal("STOP");
            try {
                Reply kept = store.get(read);
                assertEquals(200, kept.status(), "a value the master keeps is served while its volume is frozen: " + kept);
                assertArrayEquals(value(index(read)), kept.body());
                long start = System.nanoTime();
                Reply frozenGet = store.get(key);
                long getMillis = (System.nanoTime() - start) / 1_000_000;
                assertEquals(503, frozenGet.status(), frozenGet::toString);
                assertTrue(frozenGet.text().contains("volume " + hung + " is unavailable"), frozenGet::toString);
                assertTrue(getMillis < 5000, "a GET from a frozen volume answered in " + getMillis + " ms");
                start = System.nanoTime();
                Reply frozenPut = store.put(key, value(98));
                long putMillis = (System.nanoTime() - start) / 1_000_000;
                assertEquals(503, frozenPut.status(), frozenPut::toString);
                assertTrue(frozenPut.text().contains("volume " + hung), frozenPut::toString);
                assertTrue(putMillis < 5000, "a PUT to a frozen volume answered in " + putMillis + " ms");
                System.out.printf("one copy, its volume frozen: GET answered 503 in %d ms, PUT in %d ms%n", getMillis, putMillis);
            } finally {
                cluster.volume(0).signal("CONT");
            }
            assertArrayEquals(value(index(key)), store.get(key).body(), "the refused write changed nothing");
        }
    }

    private static int index(String key) {
        return Integer.parseInt(key.substring("outage-".length()));
    }

    private static byte[] value(int i) {
        return ("value " + i + " ").repeat(i + 1).getBytes(StandardCharsets.UTF_8);
    }
}
