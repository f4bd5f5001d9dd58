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

/** A volume that stops answering: its keys answer 503 naming it, the others keep working, and it comes back. */
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
        }
    }

    private static int index(String key) {
        return Integer.parseInt(key.substring("outage-".length()));
    }

    private static byte[] value(int i) {
        return ("value " + i + " ").repeat(i + 1).getBytes(StandardCharsets.UTF_8);
    }
}
