package io.tdkvs.volume.blobs.control;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.CRC32C;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tdkvs.config.VolumeConfig;
import io.tdkvs.protocol.BlobFile;
import io.tdkvs.protocol.BlobInfo;
import io.tdkvs.protocol.BlobName;
import io.tdkvs.protocol.ByteRange;
import io.tdkvs.protocol.PartList;
import io.tdkvs.protocol.VolumeApi;
import io.tdkvs.volume.errors.Reason;
import io.tdkvs.volume.errors.VolumeException;

/**
 * Values as files under the volume's path:
 * <pre>
 * &lt;path&gt;/blobs/ab/cd/&lt;name&gt;   one file per blob (see {@link BlobFile}); ab, cd: the name's first hex digits
 * &lt;path&gt;/tmp/                  writes in progress; emptied at start
 * &lt;path&gt;/segments/             the values of composed blobs (see {@link Segments})
 * </pre>
 * A write goes to a temp file that is fsync'd and then renamed over the final name, and the
 * directory is fsync'd: a reader, or a restart after a crash, sees the old file or the whole new one.
 */
@Singleton
public class BlobStore {

    private static final Logger LOG = Logger.getLogger(BlobStore.class.getName());
    private static final int CHUNK = 64 * 1024;
    private static final AtomicLong TEMP_NAMES = new AtomicLong();

    private final Path blobs;
    private final Path tmp;
    private final DiskSync sync;
    private final BlobCount count;
    private final DamagedBlobs damaged = new DamagedBlobs();
    private final RecentChecks recent = new RecentChecks();
    private final Segments segments;
    private final java.util.random.RandomGenerator stamps = new java.security.SecureRandom();
    /** Directories known to exist and to be durable: directories are created, never removed. */
    private final Set<Path> knownDirectories = ConcurrentHashMap.newKeySet();

    @Inject
    BlobStore(VolumeConfig config) {
        this(config.path());
    }

    /** Opens (creating it if needed) the store under {@code root}; fails if it cannot write there. */
    public BlobStore(Path root) {
        this.blobs = root.resolve("blobs");
        this.tmp = root.resolve("tmp");
        try {
            Files.createDirectories(blobs);
            Files.createDirectories(tmp);
            removeLeftoverWrites();
            Files.delete(Files.createTempFile(tmp, "probe", ".tmp"));
            this.segments = new Segments(root.resolve("segments"));
            segments.load(this::segmentsOnDisk);
        } catch (IOException e) {
            throw new IllegalStateException("cannot store values under " + root + ": "
                    + e.getClass().getSimpleName() + " " + e.getMessage(), e);
        }
        this.sync = new DiskSync();
        this.count = new BlobCount(blobs);
        Thread counting = new Thread(count::countAll, "tdkvs-blob-count");
        counting.setDaemon(true);
        counting.start();
    }

    public BlobInfo write(BlobName name, byte[] key, InputStream body, OptionalLong expectedSize) {
        if (!name.belongsTo(key)) {
            throw new VolumeException(Reason.KEY_MISMATCH, "blob name " + name + " is not derived from the key sent with it");
        }
        Path temp = tmp.resolve(tempName(name));
        boolean moved = false;
        try {
            BlobInfo written;
            try (FileChannel file = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                written = writeBlob(file, name, key, body, expectedSize);
                if (expectedSize.isPresent() && expectedSize.getAsLong() != written.size()) {
                    throw new VolumeException(Reason.BODY_BROKE_OFF, "received " + written.size()
                            + " bytes, but Content-Length announced " + expectedSize.getAsLong());
                }
                file.force(true);
            }
            DirectoryChanges changed = new DirectoryChanges();
            moveIntoPlace(temp, name, changed, Optional.empty());
            moved = true;
            syncDirectories(changed);
            return written;
        } catch (IOException e) {
            throw storageFailure("writing " + name, e);
        } finally {
            if (!moved) {
                deleteQuietly(temp);
            }
        }
    }

    /**
     * Stores a blob whose value is the values of {@code parts}, blobs this volume holds, one after the
     * other, durable and in place once it answers, without copying them: the parts' files are linked as
     * the new blob's segments ({@link Segments}), and its file ({@link ComposedFile}) names them, with the
     * CRC32C of the whole combined from theirs. Each part must have the size and CRC32C the list gives;
     * its value is checked when the composed blob is read, as any value is.
     *
     * @throws VolumeException {@link Reason#NO_SUCH_BLOB} if a part is missing, {@link Reason#CORRUPT_BLOB}
     *                         if one is damaged or other than the list says, {@link Reason#MALFORMED_BODY} if
     *                         one is itself composed or there are too many
     */
    public BlobInfo compose(BlobName name, byte[] key, List<PartList.Part> parts) {
        if (!name.belongsTo(key)) {
            throw new VolumeException(Reason.KEY_MISMATCH, "blob name " + name + " is not derived from the key sent with it");
        }
        if (parts.size() > ComposedFile.MAX_SEGMENTS) {
            throw new VolumeException(Reason.MALFORMED_BODY, "a blob is composed of at most " + ComposedFile.MAX_SEGMENTS
                    + " parts, not " + parts.size());
        }
        List<Path> files = parts.stream().map(part -> blobs.resolve(part.name().relativePath())).toList();
        long stamp = link(name, files, parts);
        Path temp = tmp.resolve(tempName(name));
        boolean placed = false;
        try {
            List<ComposedFile.Segment> list = new ArrayList<>(parts.size());
            for (int i = 0; i < parts.size(); i++) {
                PartList.Part part = parts.get(i);
                BlobFile.Layout layout = segmentLayout(name, stamp, i, part);
                list.add(new ComposedFile.Segment(layout.size(), layout.crc32c()));
            }
            ComposedFile.Layout layout = ComposedFile.Layout.of(key, stamp, list);
            try (FileChannel file = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                BlobFile.writeFully(file, ComposedFile.format(layout));
                file.force(true);
            }
            DirectoryChanges changed = new DirectoryChanges();
            moveIntoPlace(temp, name, changed, Optional.of(new Segments.Set(stamp, parts.size())));
            placed = true;
            syncDirectories(changed);
            return new BlobInfo(name, layout.size(), layout.crc32c(), key);
        } catch (IOException e) {
            throw storageFailure("writing " + name, e);
        } finally {
            if (!placed) {
                deleteQuietly(temp);
                segments.discard(name, stamp, parts.size());
            }
        }
    }

    /** Links the parts' files as segments of {@code name} under a new stamp; answers the stamp. */
    private long link(BlobName name, List<Path> files, List<PartList.Part> parts) {
        long stamp = stamps.nextLong();
        try {
            while (!segments.link(name, stamp, files)) {
                stamp = stamps.nextLong();
            }
            return stamp;
        } catch (NoSuchFileException e) {
            segments.discard(name, stamp, files.size());
            String missing = String.valueOf(e.getFile());
            for (int i = 0; i < files.size(); i++) {
                if (!Files.exists(files.get(i))) {
                    missing = parts.get(i).name().value();
                    break;
                }
            }
            throw new VolumeException(Reason.NO_SUCH_BLOB, "no blob " + missing + " to make " + name + " of");
        } catch (IOException | UnsupportedOperationException e) {
            segments.discard(name, stamp, files.size());
            throw storageFailure("linking the parts of " + name, e instanceof IOException io ? io
                    : new IOException("the file system has no links: " + e.getMessage(), e));
        }
    }

    /** The layout of a linked segment's file, which must be a blob file holding the part named. */
    private BlobFile.Layout segmentLayout(BlobName name, long stamp, int index, PartList.Part part) throws IOException {
        try (FileChannel file = segments.open(name, stamp, index)) {
            if (ComposedFile.is(file)) {
                throw new VolumeException(Reason.MALFORMED_BODY, "blob " + part.name() + " is itself composed of others: "
                        + "it cannot be a part of " + name);
            }
            try {
                return holding(file, part.size(), part.crc32c(), "it", "the part named");
            } catch (BlobFile.CorruptBlobException e) {
                throw damaged(part.name(), e);
            }
        }
    }

    /**
     * The layout of an open blob file, which must hold {@code size} bytes with {@code crc32c}, as
     * {@code named} says; {@code what} is the file in the complaint.
     *
     * @throws BlobFile.CorruptBlobException if it is not a whole blob file, or holds another value
     */
    private static BlobFile.Layout holding(FileChannel file, long size, int crc32c, String what, String named) throws IOException {
        BlobFile.Layout layout = BlobFile.read(file);
        if (layout.size() != size || layout.crc32c() != crc32c) {
            throw new BlobFile.CorruptBlobException(what + " holds " + layout.size() + " bytes with the CRC32C "
                    + VolumeApi.crc32cHeader(layout.crc32c()) + ", not the " + size + " bytes with "
                    + VolumeApi.crc32cHeader(crc32c) + " of " + named);
        }
        return layout;
    }

    /** What the file of {@code name} says of its segments, at start: those of a composed blob, or none. */
    private Optional<Segments.Set> segmentsOnDisk(BlobName name) {
        try (FileChannel file = FileChannel.open(blobs.resolve(name.relativePath()), StandardOpenOption.READ)) {
            if (!ComposedFile.is(file)) {
                return Optional.empty();
            }
            ComposedFile.Layout layout = ComposedFile.read(file);
            return Optional.of(new Segments.Set(layout.stamp(), layout.segments().size()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            LOG.warning(() -> "the composed blob " + name + " is damaged, and its segments are removed: " + e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Writes the blob file: header, value, trailer. The value is taken in chunks; a chunk goes out
     * when it is full, and the last one with the trailer (the first with the header), so a value
     * shorter than a chunk is one write.
     */
    private static BlobInfo writeBlob(FileChannel file, BlobName name, byte[] key, InputStream body,
                                      OptionalLong expectedSize) throws IOException {
        ByteBuffer header = BlobFile.header(key);
        CRC32C crc = new CRC32C();
        // one byte more than announced: the end of the body is seen before the chunk is full
        byte[] chunk = new byte[(int) Math.min(Math.max(expectedSize.orElse(CHUNK), 0), CHUNK) + 1];
        int filled = 0;
        long size = 0;
        while (true) {
            int read;
            try {
                read = body.read(chunk, filled, chunk.length - filled);
            } catch (IOException e) {
                throw new VolumeException(Reason.BODY_BROKE_OFF, "the request body broke off after " + size + " bytes", e);
            }
            if (read < 0) {
                break;
            }
            crc.update(chunk, filled, read);
            filled += read;
            size += read;
            if (filled == chunk.length) {
                BlobFile.writeFully(file, header, ByteBuffer.wrap(chunk));
                filled = 0;
            }
        }
        int checksum = (int) crc.getValue();
        BlobFile.writeFully(file, header, ByteBuffer.wrap(chunk, 0, filled), BlobFile.trailer(size, checksum));
        return new BlobInfo(name, size, checksum, key);
    }

    /**
     * Takes in a whole blob file, as another volume stores it, into a temp file and checks it (see
     * {@link BlobFile#copyChecked}). It is neither durable nor visible until {@link #place}d.
     */
    public Staged stage(BlobName name, InputStream file, long fileLength) {
        Path temp = tmp.resolve(tempName(name));
        boolean staged = false;
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            BlobFile.Layout layout = BlobFile.copyChecked(file, fileLength, out);
            if (!name.belongsTo(layout.key())) {
                throw new VolumeException(Reason.KEY_MISMATCH, "blob " + name + " holds a key it is not named after");
            }
            staged = true;
            return new Staged(new BlobInfo(name, layout.size(), layout.crc32c(), layout.key()), temp);
        } catch (BlobFile.CorruptBlobException e) {
            throw new VolumeException(Reason.MALFORMED_BODY, "blob " + name + " is not a whole blob file: " + e.getMessage(), e);
        } catch (EOFException e) {
            throw new VolumeException(Reason.BODY_BROKE_OFF, "the request body broke off in blob " + name, e);
        } catch (IOException e) {
            throw storageFailure("writing " + name, e);
        } finally {
            if (!staged) {
                deleteQuietly(temp);
            }
        }
    }

    /**
     * Makes staged blobs durable and visible, each at the same time as the others (see {@link DiskSync}):
     * fsync of its file, rename into place, fsync of the directories whose entries changed. When it
     * returns, a crash keeps them all.
     */
    public void place(List<Staged> staged) {
        try {
            sync.each(staged, this::placeDurably);
        } catch (IOException e) {
            discard(staged);
            throw storageFailure("storing " + staged.size() + " blobs", e);
        }
    }

    private void placeDurably(Staged blob) throws IOException {
        DiskSync.file(blob.temp());
        DirectoryChanges changed = new DirectoryChanges();
        moveIntoPlace(blob.temp(), blob.info().name(), changed, Optional.empty());
        syncDirectories(changed);
    }

    /** Makes the changes to directories durable. */
    private void syncDirectories(DirectoryChanges changed) throws IOException {
        for (Path directory : changed.toSync) {
            DiskSync.directory(directory);
        }
        knownDirectories.addAll(changed.durable);
    }

    /** Removes staged blobs that will not be placed. */
    public void discard(List<Staged> staged) {
        staged.forEach(blob -> deleteQuietly(blob.temp()));
    }

    /**
     * Renames a durable temp file to its blob's name (a composed blob's, with its {@code composed} segments);
     * notes the directories whose entries changed. The segments of a composed blob it replaces are removed.
     */
    private void moveIntoPlace(Path temp, BlobName name, DirectoryChanges changed, Optional<Segments.Set> composed)
            throws IOException {
        Path target = blobs.resolve(name.relativePath());
        ensureDirectory(target.getParent(), changed);
        count.change(name, () -> {
            int added = Files.exists(target) ? 0 : 1;
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            recent.forget(name);
            segments.changed(name, composed);
            return added;
        });
        changed.toSync.add(target.getParent());
    }

    /**
     * Removes blobs, without waiting for the directories to reach the disk: a removal that a power
     * failure undoes leaves an orphan, never a wrong value. Answers how many there were.
     */
    public int deleteAll(List<BlobName> names) {
        int deleted = 0;
        for (BlobName name : names) {
            if (remove(name)) {
                deleted++;
            }
        }
        return deleted;
    }

    /** Removes a blob durably; false when there was none. */
    public boolean delete(BlobName name) {
        if (!remove(name)) {
            return false;
        }
        try {
            DiskSync.directory(blobs.resolve(name.relativePath()).getParent());
        } catch (IOException e) {
            throw storageFailure("deleting " + name, e);
        }
        return true;
    }

    /** Removes a blob's file and counts it; false when there was none. */
    private boolean remove(BlobName name) {
        damaged.remove(name);
        recent.forget(name);
        try {
            return count.change(name, () -> {
                boolean deleted = Files.deleteIfExists(blobs.resolve(name.relativePath()));
                segments.changed(name, Optional.empty());
                return deleted ? -1 : 0;
            }) < 0;
        } catch (IOException e) {
            throw storageFailure("deleting " + name, e);
        }
    }

    /** The stored file of a blob, header and trailer included; empty if there is none. */
    public Optional<FileChannel> openFile(BlobName name) {
        try {
            return Optional.of(FileChannel.open(blobs.resolve(name.relativePath()), StandardOpenOption.READ));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw storageFailure("opening " + name, e);
        }
    }

    /**
     * Opens a blob to read its size and CRC32C, or its bytes unchecked (as stored, in a transfer, which
     * checks them). A composed blob's segments are all opened, and each checked against the size and CRC32C
     * its file gives; one replaced or removed with its blob meanwhile has the blob opened again.
     */
    public Optional<OpenBlob> open(BlobName name) {
        return opened(name, blob -> {
            blob.openAll();
            return blob;
        });
    }

    /**
     * Opens a blob, a composed blob's segments only as {@code then} reads them or asks for them, and gives
     * it to {@code then}. Should a segment be gone because the blob was replaced or removed meanwhile, the
     * blob is opened again. A blob that fails is closed, and so is one that {@code then} does not keep.
     */
    private <T> Optional<T> opened(BlobName name, ReadOf<T> then) {
        for (int attempt = 1; ; attempt++) {
            Optional<FileChannel> file = openFile(name);
            if (file.isEmpty()) {
                return Optional.empty();
            }
            FileChannel channel = file.get();
            boolean mayRetry = attempt < 3;
            OpenBlob blob = reading(name, channel, () -> {
                if (!ComposedFile.is(channel)) {
                    BlobFile.Layout layout = BlobFile.read(channel);
                    return new OpenBlob(channel, layout.valueOffset(), layout.size(), layout.crc32c());
                }
                ComposedFile.Layout layout = ComposedFile.read(channel);
                channel.close();
                return OpenBlob.composed(layout.key(), layout.segments(), index -> openSegment(name, layout, index, mayRetry),
                        layout.size(), layout.crc32c());
            });
            try {
                return Optional.of(reading(name, blob, () -> then.run(blob)));
            } catch (SegmentsReplaced e) {
                blob.closeQuietly(); // the blob changed since its file was read: read it again
            } catch (RuntimeException | Error e) {
                blob.closeQuietly();
                throw e;
            }
        }
    }

    private interface ReadOf<T> {
        T run(OpenBlob blob) throws IOException;
    }

    /** Segment {@code index} of a composed blob, opened; the blob was replaced or removed if it is missing and its stamp is no longer the blob's. */
    private OpenBlob.Extent openSegment(BlobName name, ComposedFile.Layout layout, int index, boolean mayRetry) throws IOException {
        ComposedFile.Segment segment = layout.segments().get(index);
        FileChannel file;
        try {
            file = segments.open(name, layout.stamp(), index);
        } catch (NoSuchFileException e) {
            if (mayRetry && segments.of(name).map(Segments.Set::stamp).filter(stamp -> stamp == layout.stamp()).isEmpty()) {
                throw new SegmentsReplaced();
            }
            throw new BlobFile.CorruptBlobException("segment " + index + " of its " + layout.segments().size() + " is missing");
        }
        try {
            BlobFile.Layout held = holding(file, segment.size(), segment.crc32c(), "segment " + index, "the blob's list");
            return new OpenBlob.Extent(file, held.valueOffset(), held.size(), held.crc32c());
        } catch (IOException | RuntimeException e) {
            closeQuietly(file);
            throw e;
        }
    }

    /** A composed blob's segment is gone because the blob was replaced or removed while it was opened. */
    private static final class SegmentsReplaced extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    /**
     * Opens a blob to send its value, which is read and checked against its CRC32C here, before
     * anything is sent (see {@link OpenBlob}).
     *
     * @throws VolumeException {@link Reason#CORRUPT_BLOB} if the file is not a whole blob or its value does not match
     */
    public Optional<OpenBlob> openChecked(BlobName name) {
        return opened(name, blob -> {
            blob.check();
            return blob;
        });
    }

    /** A blob opened to send what a {@code Range} header asks of it, and what that is. */
    public record RangeRead(OpenBlob blob, ByteRange.Request request) {
    }

    /**
     * Opens a blob to send what {@code rangeHeader} asks of its value. Nothing is sent unchecked: the
     * value is checked whole, as {@link #openChecked} does, unless it matched its CRC32C within the last
     * minute ({@link RecentChecks}; readers of ranges of one blob that arrive together wait for one
     * check); of a composed blob, a range that lies within some of its segments has only those checked,
     * each against its own CRC32C. An unsatisfiable range has nothing checked.
     *
     * @throws VolumeException {@link Reason#CORRUPT_BLOB} if the file is not a whole blob or what is checked does not match
     */
    public Optional<RangeRead> openForRange(BlobName name, String rangeHeader) {
        return opened(name, blob -> {
            ByteRange.Request request = ByteRange.parse(rangeHeader, blob.size());
            if (request instanceof ByteRange.Unsatisfiable) {
                return new RangeRead(blob, request);
            }
            ByteRange range = request instanceof ByteRange.Part part ? part.range() : new ByteRange(0, blob.size() - 1);
            boolean fresh;
            synchronized (recent.lock(name)) {
                fresh = recent.fresh(name, blob.size(), blob.crc32c(), System.nanoTime());
            }
            if (!fresh && blob.size() > 0 && blob.spanOfExtents(range) < blob.size()) {
                blob.checkExtents(range);
                return new RangeRead(blob, request);
            }
            synchronized (recent.lock(name)) {
                if (!recent.fresh(name, blob.size(), blob.crc32c(), System.nanoTime())) {
                    blob.check();
                    recent.passed(name, blob.size(), blob.crc32c(), System.nanoTime());
                }
            }
            blob.openExtents(range); // all its files are open before the answer starts
            return new RangeRead(blob, request);
        });
    }

    /** Runs a read of a blob; if it fails, closes what it read from and says why: damaged, or a storage error. */
    private <T> T reading(BlobName name, Closeable source, Read<T> read) {
        try {
            return read.run();
        } catch (BlobFile.CorruptBlobException e) {
            closeQuietly(source);
            throw damaged(name, e);
        } catch (IOException e) {
            closeQuietly(source);
            throw storageFailure("reading " + name, e);
        }
    }

    private interface Read<T> {
        T run() throws IOException;
    }

    private VolumeException damaged(BlobName name, BlobFile.CorruptBlobException e) {
        recent.forget(name);
        if (damaged.add(name)) {
            LOG.warning(() -> "blob " + name + " is damaged: " + e.getMessage());
        }
        return new VolumeException(Reason.CORRUPT_BLOB, "blob " + name + " is damaged: " + e.getMessage(), e);
    }

    /** Every blob in the store, in no particular order; damaged files are logged and skipped. */
    public void forEach(Consumer<BlobInfo> action) {
        walk((name, file) -> {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                long modified = Files.getLastModifiedTime(file).toMillis();
                if (ComposedFile.is(channel)) {
                    ComposedFile.Layout layout = ComposedFile.read(channel);
                    action.accept(new BlobInfo(name, layout.size(), layout.crc32c(), layout.key(), modified));
                } else {
                    BlobFile.Layout layout = BlobFile.read(channel);
                    action.accept(new BlobInfo(name, layout.size(), layout.crc32c(), layout.key(), modified));
                }
            } catch (NoSuchFileException e) {
                // deleted while listing
            } catch (IOException e) {
                LOG.log(Level.WARNING, "skipping damaged blob file " + file + ": " + e.getMessage());
            }
        });
    }

    /** The name of every blob in the store, in no particular order, without opening the files. */
    public void forEachName(Consumer<BlobName> action) {
        walk((name, file) -> action.accept(name));
    }

    /** The blobs found damaged since the start (by reads and the scrub) that are still there: how many, and the first names. */
    public long damagedCount() {
        return damaged.count();
    }

    public List<String> damagedNames() {
        return damaged.names();
    }

    private void walk(BiConsumer<BlobName, Path> action) {
        try (DirectoryStream<Path> level1 = Files.newDirectoryStream(blobs)) {
            for (Path first : level1) {
                try (DirectoryStream<Path> level2 = Files.newDirectoryStream(first)) {
                    for (Path second : level2) {
                        walkLeaf(second, action);
                    }
                }
            }
        } catch (IOException e) {
            throw storageFailure("listing blobs", e);
        }
    }

    private static void walkLeaf(Path directory, BiConsumer<BlobName, Path> action) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                BlobName.parse(file.getFileName().toString()).ifPresent(name -> action.accept(name, file));
            }
        }
    }

    public long usableBytes() {
        try {
            return Files.getFileStore(blobs).getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many blob files the store holds; -1 while they are still being counted after the start. */
    public long blobCount() {
        return count.get();
    }

    /** A name no other write in this process uses; a restart empties tmp/ first. */
    private static String tempName(BlobName name) {
        return name + "." + Long.toHexString(TEMP_NAMES.incrementAndGet()) + ".tmp";
    }

    /** A blob taken in but not yet placed: its temp file, and what it holds. */
    public record Staged(BlobInfo info, Path temp) {
    }

    private void removeLeftoverWrites() throws IOException {
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(tmp)) {
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
            }
        }
    }

    /**
     * Creates a blob's directory and its parent where they are missing. A directory not yet known
     * to be durable may have been made by a write whose fsync has not ended, or before a crash: its
     * parent is fsync'd with the blob's directory, whether this write made it or not. Once that is
     * done, both are {@link DirectoryChanges#durable}, and later writes there fsync only the blob's
     * directory.
     */
    private void ensureDirectory(Path directory, DirectoryChanges changed) throws IOException {
        if (knownDirectories.contains(directory)) {
            return;
        }
        Path parent = directory.getParent();
        if (!knownDirectories.contains(parent)) {
            createIfMissing(parent);
            changed.toSync.add(blobs);
        }
        createIfMissing(directory);
        changed.toSync.add(parent);
        changed.durable.add(parent);
        changed.durable.add(directory);
    }

    private static void createIfMissing(Path directory) throws IOException {
        try {
            Files.createDirectory(directory);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(directory)) {
                throw e;
            }
        }
    }

    /** The directories whose entries a write changed, to fsync, and those that are durable once that is done. */
    private static final class DirectoryChanges {
        final Set<Path> toSync = new HashSet<>();
        final Set<Path> durable = new HashSet<>();
    }

    @PreDestroy
    void close() {
        sync.close();
    }

    private static VolumeException storageFailure(String what, IOException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("No space left")) {
            return new VolumeException(Reason.DISK_FULL, "the volume's disk is full (" + what + ")", e);
        }
        return new VolumeException(Reason.DISK_FAILED, "storage error " + what + ": " + message, e);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not remove " + file + ": " + e.getMessage());
        }
    }

    private static void closeQuietly(Closeable channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "close failed", e);
        }
    }
}
