package io.tdkvs.volume.blobs.control;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.tdkvs.protocol.BlobName;

/**
 * How many blob files the store holds, exactly, without slowing its start: the files are counted in
 * the background, one leaf folder ({@code ab/cd}) at a time, while writes and deletes go on. A change
 * in a folder already counted is added at once; one in a folder not counted yet is found when it is.
 * A folder is counted, and changed, under the lock of its stripe, so no file is counted twice or missed.
 * Only the folders that exist are read: the two levels of folders are listed first, and a leaf folder that
 * was not listed is read only if a change reached it since, so an empty or young store costs two listings
 * instead of 65,536 failed opens.
 */
final class BlobCount {

    private static final Logger LOG = Logger.getLogger(BlobCount.class.getName());
    private static final int LEAVES = 256 * 256;
    private static final int STRIPES = 256;

    private final Path blobs;
    private final Object[] stripes = new Object[STRIPES];
    private final boolean[] counted = new boolean[LEAVES];
    /** Leaves changed before they were counted: their folder may be newer than the listing. */
    private final boolean[] touched = new boolean[LEAVES];
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
            if (!counted[leaf]) {
                touched[leaf] = true;
            }
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
            boolean[] listed = listedLeaves();
            for (int leaf = 0; leaf < LEAVES; leaf++) {
                synchronized (stripes[leaf % STRIPES]) {
                    if (listed[leaf] || touched[leaf]) {
                        count.addAndGet(files(blobs.resolve(hex(leaf >> 8)).resolve(hex(leaf & 0xff))));
                    }
                    counted[leaf] = true;
                }
            }
            done = true;
            LOG.fine(() -> "counted " + count.get() + " blobs");
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not count the blobs under " + blobs + ": " + e.getMessage());
        }
    }

    /** The leaf folders ({@code ab/cd}) that exist now. */
    private boolean[] listedLeaves() throws IOException {
        boolean[] listed = new boolean[LEAVES];
        for (int top : folders(blobs)) {
            for (int leaf : folders(blobs.resolve(hex(top)))) {
                listed[top << 8 | leaf] = true;
            }
        }
        return listed;
    }

    /** The two-hex-digit folder names in {@code folder}, as numbers; none if it does not exist. */
    private static List<Integer> folders(Path folder) throws IOException {
        List<Integer> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.length() == 2 && HexFormat.isHexDigit(name.charAt(0)) && HexFormat.isHexDigit(name.charAt(1))
                        && name.equals(name.toLowerCase(Locale.ROOT))) {
                    found.add(HexFormat.fromHexDigits(name));
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return found;
    }

    private static String hex(int b) {
        return HexFormat.of().toHexDigits((byte) b);
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
