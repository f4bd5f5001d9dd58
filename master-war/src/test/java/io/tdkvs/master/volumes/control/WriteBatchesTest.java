package io.tdkvs.master.volumes.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import org.junit.jupiter.api.Test;

import io.tdkvs.config.VolumeUrl;
import io.tdkvs.master.errors.Reason;
import io.tdkvs.master.errors.StoreException;
import io.tdkvs.protocol.BlobInfo;
import io.tdkvs.protocol.BlobName;

class WriteBatchesTest {

    private static final VolumeUrl A = VolumeUrl.of("http://127.0.0.1:1").orElseThrow();
    private static final VolumeUrl B = VolumeUrl.of("http://127.0.0.1:2").orElseThrow();

    /** A volume whose requests are recorded and answered when the test opens the gate. */
    private static final class Volumes implements BiFunction<VolumeUrl, List<SmallCopy>, List<StoredCopy>> {
        final List<String> requests = new CopyOnWriteArrayList<>();
        final CountDownLatch gate;

        Volumes(boolean open) {
            gate = new CountDownLatch(open ? 0 : 1);
        }

        @Override
        public List<StoredCopy> apply(VolumeUrl volume, List<SmallCopy> copies) {
            requests.add(volume.value().substring(volume.value().lastIndexOf(':') + 1) + ":" + copies.size());
            try {
                if (!gate.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test did not open the gate");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (volume.equals(B)) {
                throw new StoreException(Reason.VOLUME_UNAVAILABLE, "volume " + volume + " is unavailable");
            }
            return copies.stream().map(copy -> StoredCopy.stored(volume, new BlobInfo(copy.name(), copy.value().length,
                    copy.crc32c(), copy.key()))).toList();
        }
    }

    @Test
    void aLoneCopyGoesAtOnceByItself() throws Exception {
        Volumes volumes = new Volumes(true);
        try (WriteBatches batches = new WriteBatches(volumes)) {
            StoredCopy stored = batches.store(A, copy(1)).get(10, TimeUnit.SECONDS);
            assertEquals(copy(1).name(), stored.stored().orElseThrow().name());
            assertEquals(List.of("1:1"), volumes.requests);
        }
    }

    @Test
    void copiesThatWaitWhileTheVolumeIsBusyGoTogether() throws Exception {
        Volumes volumes = new Volumes(false);
        try (WriteBatches batches = new WriteBatches(volumes)) {
            List<CompletableFuture<StoredCopy>> stored = new ArrayList<>();
            for (int i = 0; i < WriteBatches.IN_FLIGHT; i++) {
                stored.add(batches.store(A, copy(i)));
                int sent = i + 1;
                assertTrue(waitFor(() -> volumes.requests.size() == sent), "copy " + i + " goes at once");
            }
            int waiting = WriteBatches.MAX_COPIES + 10;
            for (int i = 0; i < waiting; i++) {
                stored.add(batches.store(A, copy(100 + i)));
            }
            assertFalse(stored.get(0).isDone(), "nothing is answered before the volume answers");
            volumes.gate.countDown();
            for (int i = 0; i < stored.size(); i++) {
                assertEquals(i < WriteBatches.IN_FLIGHT ? copy(i).name() : copy(100 + i - WriteBatches.IN_FLIGHT).name(),
                        stored.get(i).get(10, TimeUnit.SECONDS).stored().orElseThrow().name(), "copy " + i + " was stored");
            }
            List<Integer> sizes = volumes.requests.stream().map(request -> Integer.parseInt(request.substring(2))).sorted().toList();
            assertEquals(WriteBatches.IN_FLIGHT + waiting, sizes.stream().mapToInt(Integer::intValue).sum());
            assertEquals(WriteBatches.MAX_COPIES, sizes.get(sizes.size() - 1), "the waiting copies went in full batches: " + sizes);
            assertTrue(sizes.size() <= WriteBatches.IN_FLIGHT + 2, "and no more requests than that: " + sizes);
        }
    }

    @Test
    void aFailedRequestFailsItsCopiesAndHoldsUpNoOtherVolume() throws Exception {
        Volumes volumes = new Volumes(false);
        try (WriteBatches batches = new WriteBatches(volumes)) {
            CompletableFuture<StoredCopy> onB = batches.store(B, copy(1));
            assertTrue(waitFor(() -> volumes.requests.contains("2:1")));
            CompletableFuture<StoredCopy> onA = batches.store(A, copy(2));
            assertTrue(waitFor(() -> volumes.requests.contains("1:1")), "volume 1 is asked while volume 2 is busy");
            volumes.gate.countDown();
            assertEquals(Reason.VOLUME_UNAVAILABLE, onB.get(10, TimeUnit.SECONDS).failure().orElseThrow().reason());
            assertTrue(onA.get(10, TimeUnit.SECONDS).stored().isPresent());
            assertTrue(batches.store(B, copy(3)).get(10, TimeUnit.SECONDS).failure().isPresent(), "later copies still go");
            assertEquals(3, volumes.requests.size());
        }
    }

    private static SmallCopy copy(int i) {
        byte[] key = ("key-" + i).getBytes(StandardCharsets.UTF_8);
        return new SmallCopy(BlobName.of(key, i + 1), key, ("value-" + i).getBytes(StandardCharsets.UTF_8), i);
    }

    private static boolean waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }
}
