package io.tdkvs.master.migration.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.tdkvs.protocol.BlobInfo;
import io.tdkvs.protocol.BlobName;

class CopiesInFlightTest {

    private final CopiesInFlight inFlight = new CopiesInFlight();

    private static BlobInfo blob(String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        return new BlobInfo(BlobName.of(bytes, 7), 3, 0, bytes);
    }

    private List<BlobName> sweep(int volume, List<BlobInfo> candidates, Set<BlobInfo> referenced) {
        List<BlobName> removed = new ArrayList<>();
        int count = inFlight.removeOrphans(volume, candidates, blob -> !referenced.contains(blob), names -> {
            removed.addAll(names);
            return names.size();
        });
        assertEquals(removed.size(), count);
        return removed;
    }

    @Test
    void aCopyOnItsWayIsKeptUntilItsStepEnds() {
        BlobInfo coming = blob("coming");
        BlobInfo orphan = blob("orphan");
        CopiesInFlight.Arrival arrival = inFlight.arriving(2, List.of(coming.name()));
        assertEquals(List.of(orphan.name()), sweep(2, List.of(coming, orphan), Set.of()));
        assertEquals(List.of(coming.name()), sweep(1, List.of(coming), Set.of()), "announced on volume 2 only");
        arrival.close();
        assertEquals(List.of(), sweep(2, List.of(coming), Set.of(coming)), "committed: the index names it");
        assertEquals(List.of(coming.name()), sweep(2, List.of(coming), Set.of()), "given up: an orphan");
    }

    @Test
    void twoStepsBringingTheSameCopyKeepItUntilBothEnd() {
        BlobInfo coming = blob("twice");
        CopiesInFlight.Arrival first = inFlight.arriving(1, List.of(coming.name()));
        CopiesInFlight.Arrival second = inFlight.arriving(1, List.of(coming.name()));
        first.close();
        first.close();
        assertEquals(List.of(), sweep(1, List.of(coming), Set.of()));
        second.close();
        assertEquals(List.of(coming.name()), sweep(1, List.of(coming), Set.of()));
    }

    @Test
    void noStepBeginsWhileOrphansAreRemoved() throws InterruptedException {
        BlobInfo orphan = blob("orphan");
        AtomicBoolean announced = new AtomicBoolean();
        Thread step = new Thread(() -> {
            inFlight.arriving(1, List.of(orphan.name())).close();
            announced.set(true);
        });
        List<Thread.State> seen = new ArrayList<>();
        inFlight.removeOrphans(1, List.of(orphan), blob -> true, names -> {
            step.start();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (step.getState() != Thread.State.BLOCKED && step.getState() != Thread.State.TERMINATED
                    && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            seen.add(step.getState());
            assertFalse(announced.get(), "a step announced a copy while orphans were being removed");
            return names.size();
        });
        step.join(10_000);
        assertEquals(List.of(Thread.State.BLOCKED), seen);
        assertTrue(announced.get());
    }
}
