package io.tdkvs.volume.blobs.control;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.tdkvs.protocol.BlobName;

/**
 * The files whose values make composed blobs' values ({@link ComposedFile}):
 * <pre>
 * &lt;path&gt;/segments/ab/&lt;name&gt;.&lt;stamp&gt;.&lt;n&gt;   segment n (from 0) of composed blob &lt;name&gt;; ab: its first hex digits
 * </pre>
 * A segment is a second link to the file of a blob the composed one was made of, so composing copies no
 * value, and removing that blob later leaves the segment whole; files in the store are replaced or
 * removed, never changed, so the link keeps the value the composed blob was made of. This class knows,
 * for each composed blob, the stamp and number of its segments, read from the disk at start; segments no
 * composed blob names (left by a crash between linking them and placing their blob, or between replacing
 * or removing a blob and removing its segments) are removed then.
 */
final class Segments {

    private static final Logger LOG = Logger.getLogger(Segments.class.getName());

    /** A composed blob's segments: their stamp and how many there are. */
    record Set(long stamp, int count) {
    }

    private final Path root;
    private final Map<BlobName, Set> composed = new ConcurrentHashMap<>();
    /** Folders known to exist durably: created, and their parent fsync'd, by this process. */
    private final java.util.Set<Path> durableFolders = ConcurrentHashMap.newKeySet();

    Segments(Path root) throws IOException {
        this.root = root;
        Files.createDirectories(root);
    }

    Path path(BlobName name, long stamp, int index) {
        return root.resolve(name.value().substring(0, 2)).resolve(name + "." + Long.toHexString(stamp) + "." + index);
    }

    /** Links {@code files} as the segments of {@code name} with {@code stamp}, durably; false if that stamp is taken. */
    boolean link(BlobName name, long stamp, List<Path> files) throws IOException {
        Path directory = path(name, stamp, 0).getParent();
        boolean known = durableFolders.contains(directory);
        if (!known) {
            Files.createDirectories(directory);
        }
        for (int i = 0; i < files.size(); i++) {
            try {
                Files.createLink(path(name, stamp, i), files.get(i));
            } catch (FileAlreadyExistsException e) {
                if (i == 0) {
                    return false;
                }
                throw e;
            }
        }
        DiskSync.directory(directory);
        if (!known) {
            DiskSync.directory(root);
            durableFolders.add(directory);
        }
        return true;
    }

    /** Opens segment {@code index} of a composed blob. */
    FileChannel open(BlobName name, long stamp, int index) throws IOException {
        return FileChannel.open(path(name, stamp, index), StandardOpenOption.READ);
    }

    /** The segments of the composed blob {@code name} now has, if it is one. */
    Optional<Set> of(BlobName name) {
        return Optional.ofNullable(composed.get(name));
    }

    /**
     * Records what the file of {@code name} now is (a composed blob with {@code now}'s segments, or, when
     * empty, another blob or none); removes the segments it had before, if they are others. Called with the
     * blob's file changed, under the lock of its folder.
     */
    void changed(BlobName name, Optional<Set> now) {
        Set before = now.isPresent() ? composed.put(name, now.get()) : composed.remove(name);
        if (before != null && !(now.isPresent() && now.get().stamp() == before.stamp())) {
            remove(name, before);
        }
    }

    /** Removes linked segments that will not be placed (a composition that failed). */
    void discard(BlobName name, long stamp, int count) {
        remove(name, new Set(stamp, count));
    }

    private void remove(BlobName name, Set segments) {
        for (int i = 0; i < segments.count(); i++) {
            try {
                Files.deleteIfExists(path(name, segments.stamp(), i));
            } catch (IOException e) {
                LOG.log(Level.WARNING, "could not remove segment " + i + " of " + name + " (it is removed at the next start): "
                        + e.getMessage());
            }
        }
    }

    /** What a blob's file says of its segments at start: those of the stamp it names, or none. */
    interface Owner {
        Optional<Set> segmentsOf(BlobName name);
    }

    /**
     * Reads the segments on disk at start: keeps each set its composed blob names, removes the others and
     * anything that is not a segment's name; answers how many segments were removed.
     */
    int load(Owner owner) throws IOException {
        Map<BlobName, Map<Long, Map<Integer, Path>>> found = new HashMap<>();
        int removed = 0;
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(root)) {
            for (Path folder : folders) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
                    for (Path file : files) {
                        if (!note(file, found)) {
                            Files.deleteIfExists(file);
                            removed++;
                        }
                    }
                }
            }
        }
        for (Map.Entry<BlobName, Map<Long, Map<Integer, Path>>> blob : found.entrySet()) {
            Optional<Set> owned = owner.segmentsOf(blob.getKey());
            for (Map.Entry<Long, Map<Integer, Path>> stamp : blob.getValue().entrySet()) {
                int kept = owned.filter(set -> set.stamp() == stamp.getKey()).map(Set::count).orElse(0);
                for (Map.Entry<Integer, Path> segment : stamp.getValue().entrySet()) {
                    if (segment.getKey() >= kept && Files.deleteIfExists(segment.getValue())) {
                        removed++;
                    }
                }
            }
            owned.filter(set -> blob.getValue().containsKey(set.stamp())).ifPresent(set -> composed.put(blob.getKey(), set));
        }
        if (removed > 0) {
            LOG.info("removed " + removed + " segments that no composed blob names");
        }
        return removed;
    }

    /** Notes a segment's file by its blob, stamp and index; false if it is not one where it is. */
    private boolean note(Path file, Map<BlobName, Map<Long, Map<Integer, Path>>> found) {
        String[] parts = file.getFileName().toString().split("\\.");
        if (parts.length != 4) {
            return false;
        }
        Optional<BlobName> name = BlobName.parse(parts[0] + "." + parts[1]);
        try {
            long stamp = Long.parseUnsignedLong(parts[2], 16);
            int index = Integer.parseInt(parts[3]);
            if (name.isEmpty() || index < 0 || !path(name.get(), stamp, index).equals(file)) {
                return false;
            }
            found.computeIfAbsent(name.get(), n -> new HashMap<>()).computeIfAbsent(stamp, s -> new HashMap<>()).put(index, file);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
