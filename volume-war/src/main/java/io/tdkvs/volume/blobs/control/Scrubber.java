package io.tdkvs.volume.blobs.control;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tdkvs.config.VolumeConfig;
import io.tdkvs.protocol.VolumeStatus;
import io.tdkvs.volume.errors.Reason;
import io.tdkvs.volume.errors.VolumeException;

/**
 * The scrub: reads every blob again, in the background, and checks its value against its CRC32C, at
 * most {@code scrubRate} bytes per second (0: never), one pass after another, at least
 * {@value #PAUSE_SECONDS} s apart. A blob counts as at least {@value #MIN_BLOB_COST} bytes, so that small
 * values, whose cost is opening the file rather than reading it, do not take the CPU from clients.
 * What it finds damaged the volume reports in its status (see {@link BlobStore#damagedNames()}).
 */
@Singleton
public class Scrubber {

    private static final Logger LOG = Logger.getLogger(Scrubber.class.getName());
    static final int PAUSE_SECONDS = 10;
    static final int MIN_BLOB_COST = 16 * 1024;

    private final BlobStore store;
    private final long rate;
    private final AtomicLong passes = new AtomicLong();
    private final AtomicLong checkedBytes = new AtomicLong();
    private final AtomicLong checkedBlobs = new AtomicLong();
    private volatile Thread thread;

    @Inject
    Scrubber(VolumeConfig config, BlobStore store) {
        this(store, config.scrubRate());
    }

    Scrubber(BlobStore store, long rate) {
        this.store = store;
        this.rate = rate;
    }

    /** Starts the passes, unless the rate is 0. */
    public synchronized void start() {
        if (rate == 0 || thread != null) {
            return;
        }
        thread = new Thread(this::run, "tdkvs-scrub");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    @PreDestroy
    synchronized void stop() {
        if (thread != null) {
            thread.interrupt();
            thread = null;
        }
    }

    /** What the scrub has done since the volume started. */
    public VolumeStatus.Scrub progress() {
        return new VolumeStatus.Scrub(rate, passes.get(), checkedBlobs.get(), checkedBytes.get());
    }

    private void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                pass();
                passes.incrementAndGet();
                TimeUnit.SECONDS.sleep(PAUSE_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the scrub stopped: " + e.getMessage(), e);
        }
    }

    /** One pass over every blob, paced to the rate. */
    void pass() throws InterruptedException {
        long started = System.nanoTime();
        long[] cost = {0};
        try {
            store.forEachName(name -> {
                long size = 0;
                try {
                    Optional<OpenBlob> blob = store.openChecked(name);
                    if (blob.isPresent()) {
                        size = blob.get().size();
                        blob.get().closeQuietly();
                        checkedBytes.addAndGet(size);
                        checkedBlobs.incrementAndGet();
                    }
                } catch (VolumeException e) {
                    if (e.reason() == Reason.CORRUPT_BLOB) {
                        checkedBlobs.incrementAndGet();
                    } else {
                        LOG.fine(() -> "scrub: " + e.getMessage());
                    }
                }
                cost[0] += Math.max(MIN_BLOB_COST, size);
                long due = (long) (cost[0] * 1e9 / rate) - (System.nanoTime() - started);
                if (due > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(due);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new Stopped();
                    }
                }
            });
        } catch (Stopped e) {
            throw new InterruptedException("the scrub was stopped");
        }
    }

    private static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super(null, null, false, false);
        }
    }
}
