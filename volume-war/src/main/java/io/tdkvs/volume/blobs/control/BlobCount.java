package io.tdkvs.volume.blobs.control;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.tdkvs.protocol.BlobName;

/**
 * How many blob files the store holds, exactly, without slowing its start: the files are counted in
 * the background, one leaf folder ({@code ab/cd}) at a time, while writes and deletes go on. A change
 * in a folder already counted is added at once; one in a folder not counted yet is found when it is.
 * A folder is counted, and changed, under the lock of its stripe, so no file is counted twice or missed.
 */
final class BlobCount {

    private static final Logger LOG = Logger.getLogger(BlobCount.class.getName());
    private static final int LEAVES = 256 * 256;
    private static final int STRIPES = 256;

    private final Path blobs;
    private final Object[] stripes = new Object[STRIPES];
    private final boolean[] counted = new boolean[LEAVES];
    private final AtomicLong count = new AtomicLong();
    private volatile boolean done;

    BlobCount(Path blobs) {
        this.blobs = blobs;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
    }

    /** The number of blob files; -1 until the first count is complete. */
    long get() {
        return done ? count.get() : -1;
    }

    /** Runs {@code change} (which answers +1, -1 or 0 files) on a blob's folder, and counts it; answers the change. */
    <E extends Exception> int change(BlobName name, Change<E> change) throws E {
        int leaf = leaf(name);
        synchronized (stripes[leaf % STRIPES]) {
            int delta = change.apply();
            if (counted[leaf]) {
                count.addAndGet(delta);
            }
            return delta;
        }
    }

    /** Counts every folder; meant for a thread of its own. */
    void countAll() {
        try {
            for (int leaf = 0; leaf < LEAVES; leaf++) {
                Path folder = blobs.resolve(String.format("%02x", leaf >> 8)).resolve(String.format("%02x", leaf & 0xff));
                synchronized (stripes[leaf % STRIPES]) {
                    count.addAndGet(files(folder));
                    counted[leaf] = true;
                }
            }
            done = true;
            LOG.fine(() -> "counted " + count.get() + " blobs");
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not count the blobs under " + blobs + ": " + e.getMessage());
        }
    }

    private static long files(Path folder) throws IOException {
        long files = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                if (BlobName.parse(entry.getFileName().toString()).isPresent()) {
                    files++;
                }
            }
        } catch (NoSuchFileException e) {
            return 0;
        }
        return files;
    }

    private static int leaf(BlobName name) {
        return Integer.parseInt(name.value().substring(0, 4), 16);
    }

    /** A change to one folder's files; answers how many files it added (1), removed (-1) or neither (0). */
    interface Change<E extends Exception> {
        int apply() throws E;
    }
}
