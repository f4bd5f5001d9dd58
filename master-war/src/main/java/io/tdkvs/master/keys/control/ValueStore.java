package io.tdkvs.master.keys.control;

import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tdkvs.config.MasterConfig;
import io.tdkvs.master.errors.Reason;
import io.tdkvs.master.errors.StoreException;
import io.tdkvs.master.errors.UnsatisfiableRangeException;
import io.tdkvs.master.keys.entity.Attributes;
import io.tdkvs.master.keys.entity.Key;
import io.tdkvs.master.keys.entity.MetaKey;
import io.tdkvs.master.meta.control.MetaStore;
import io.tdkvs.master.repair.control.Repairs;
import io.tdkvs.master.topology.control.Cluster;
import io.tdkvs.master.topology.entity.Topology;
import io.tdkvs.master.topology.entity.Volume;
import io.tdkvs.master.volumes.control.BlobStream;
import io.tdkvs.master.volumes.control.StoredCopy;
import io.tdkvs.master.volumes.control.VolumeClient;
import io.tdkvs.master.volumes.control.VolumeMonitor;
import io.tdkvs.master.volumes.control.WriteFanOut;
import io.tdkvs.config.Deadlines;
import io.tdkvs.protocol.BlobInfo;
import io.tdkvs.protocol.BlobName;
import io.tdkvs.protocol.PartList;
import io.tdkvs.protocol.ByteRange;

/**
 * Values by key. Every write goes to a blob of its own generation, so a blob a metakey points at
 * is never overwritten: a crash at any point leaves the old value or the new one, plus at worst
 * orphan blobs. Writes to one key are ordered by the metakey transaction; the last commit wins.
 * <p>
 * A value is written to every volume placement picks for it at once ({@link WriteFanOut}); with two
 * copies or more, a copy that its volume cannot store in time goes to the next volume of the key's
 * ranking instead. It is committed once as many copies as wanted, or at least a majority, are stored and
 * synced; the index records where they are. Copies missing, or away from placement's volumes, are made
 * or moved home afterwards ({@link Repairs}). A write that fails leaves no copy behind: the volumes
 * tried are cleaned ({@link Janitor}). A read tries the holders in order, those not known to be down
 * first, each for part of the read deadline, and answers from the first good copy: a volume that does
 * not answer, or a copy missing or damaged, makes it try the next. A small value read whole is kept in
 * {@link ValueCache}, and the next reads of the key at the same generation are answered from there.
 */
@Singleton
public class ValueStore {

    private static final Logger LOG = Logger.getLogger(ValueStore.class.getName());
    /** A read that finds its blob gone retries this often: a concurrent write or move replaced it. */
    private static final int READ_ATTEMPTS = 3;

    @Inject
    MetaStore metaKeys;

    @Inject
    VolumeClient volumes;

    @Inject
    WriteFanOut fanOut;

    @Inject
    VolumeMonitor monitor;

    @Inject
    MasterConfig config;

    @Inject
    Cluster cluster;

    @Inject
    Janitor janitor;

    @Inject
    WritesInFlight writes;

    @Inject
    Repairs repairs;

    @Inject
    ValueCache cache;

    private final LongAdder continued = new LongAdder();
    private final LongAdder joinedInPlace = new LongAdder();
    private final LongAdder joinedByStreaming = new LongAdder();

    /** Stores a value; answers what was stored, and whether the key is new (else it replaced a value). */
    public Stored put(Key key, InputStream value, OptionalLong length) {
        return put(key, value, length, "", Map.of());
    }

    /**
     * Stores a value with its content type (empty: none) and user metadata, which its metakey keeps with
     * the time of the write and the MD5 of the bytes.
     */
    public Stored put(Key key, InputStream value, OptionalLong length, String contentType, Map<String, String> metadata) {
        return put(key, value, length, md5 -> Attributes.written(System.currentTimeMillis(), md5, contentType, metadata));
    }

    /**
     * As {@link #put(Key, InputStream, OptionalLong, String, Map)}; with {@code checkedMd5}, the MD5 (in hex) that
     * {@code value} itself checks its bytes against, failing at its end if they differ (an S3 body sent with
     * Content-MD5), the metakey keeps that one and the bytes are not hashed a second time.
     */
    public Stored put(Key key, InputStream value, OptionalLong length, Optional<String> checkedMd5, String contentType,
                      Map<String, String> metadata) {
        if (checkedMd5.isEmpty()) {
            return put(key, value, length, contentType, metadata);
        }
        return put(key, value, length, () -> Attributes.written(System.currentTimeMillis(), checkedMd5.get(), contentType, metadata));
    }

    /** Stores a value whose metakey keeps the attributes {@code attributes} makes of the MD5 of its bytes (in hex). */
    public Stored put(Key key, InputStream value, OptionalLong length, Function<String, Attributes> attributesOf) {
        MessageDigest md5 = md5();
        return write(key, new DigestInputStream(value, md5), length, () -> attributesOf.apply(HexFormat.of().formatHex(md5.digest())));
    }

    /**
     * Stores a value whose metakey keeps the attributes {@code attributes} makes once it is stored, without an
     * MD5 of its bytes (a multipart object's ETag is made of its parts' MD5s: hashing its bytes again would
     * cost 1.4 s of CPU per GiB).
     */
    public Stored put(Key key, InputStream value, OptionalLong length, Supplier<Attributes> attributes) {
        return write(key, value, length, attributes);
    }

    private Stored write(Key key, InputStream digesting, OptionalLong length, Supplier<Attributes> attributesOf) {
        Topology topology = cluster.topology();
        List<Volume> ranking = topology.ranking(key); // starts with the key's placement
        int wanted = topology.copies();
        long generation = writes.begin();
        try {
            List<StoredCopy> copies = fanOut.put(ranking.stream().map(Volume::url).toList(), wanted, wanted > 1,
                    MetaKey.blobName(key, generation), key, digesting, length);
            return commit(key, topology, generation, copies, wanted, attributesOf);
        } finally {
            writes.end(generation);
        }
    }

    /**
     * Stores a value made of other values of the index, one after the other, without sending their bytes:
     * {@code partKeys}, as their metakeys {@code parts} (read by the caller) name them. When every volume the
     * value's copies belong on holds a copy of each part, each makes its copy of the value of its copies of
     * the parts, which it keeps as the value's segments, without copying them. Empty, with nothing stored, when the parts are
     * elsewhere (a volume was down when one was written, or the volumes changed since) or a volume could not
     * join them: the caller then streams the parts.
     */
    public Optional<Stored> compose(Key key, List<Key> partKeys, List<MetaKey> parts, Supplier<Attributes> attributesOf) {
        Topology topology = cluster.topology();
        List<Volume> placement = topology.placement(key);
        int wanted = topology.copies();
        List<Integer> ids = placement.stream().map(Volume::id).toList();
        if (ids.size() < wanted || parts.stream().anyMatch(part -> !part.holders().containsAll(ids))) {
            joinedByStreaming.increment();
            return Optional.empty();
        }
        List<PartList.Part> list = new ArrayList<>(parts.size());
        long total = 0;
        for (int i = 0; i < parts.size(); i++) {
            MetaKey part = parts.get(i);
            list.add(new PartList.Part(part.blobName(partKeys.get(i)), part.size(), part.crc32c()));
            total += part.size();
        }
        long generation = writes.begin();
        try {
            BlobName name = MetaKey.blobName(key, generation);
            List<StoredCopy> copies = volumes.compose(placement.stream().map(Volume::url).toList(), name, key.utf8(), list,
                    joining(total));
            long size = total;
            int crc32c = copies.get(0).stored().map(BlobInfo::crc32c).orElse(0);
            if (copies.stream().anyMatch(copy -> copy.stored().isEmpty() || copy.stored().get().size() != size
                    || copy.stored().get().crc32c() != crc32c)) {
                janitor.removeStraysLater(key, generation, ids);
                LOG.info(() -> "the volumes did not join the " + parts.size() + " parts of " + key + " (" + copies
                        + "); they are streamed instead");
                joinedByStreaming.increment();
                return Optional.empty();
            }
            Stored stored = commit(key, topology, generation, copies, wanted, attributesOf);
            joinedInPlace.increment();
            return Optional.of(stored);
        } finally {
            writes.end(generation);
        }
    }

    /** How long a volume may take to join {@code bytes} of parts: reading and writing them at 20 MB/s, and a sync. */
    private static Duration joining(long bytes) {
        return Deadlines.BACKGROUND.plusMillis(bytes / 20_000);
    }

    /**
     * Commits a value whose copies were written (those {@code copies} says were stored) under {@code generation}:
     * its metakey names them, with the attributes {@code attributesOf} makes; the copies of the value it
     * replaces and any stray copies are removed later, and copies not where placement puts them move home.
     *
     * @throws StoreException if fewer than a majority of the {@code wanted} copies were stored (nothing is committed)
     */
    private Stored commit(Key key, Topology topology, long generation, List<StoredCopy> copies, int wanted,
                          Supplier<Attributes> attributesOf) {
        List<Integer> holders = new ArrayList<>();
        List<Integer> tried = new ArrayList<>();
        Optional<BlobInfo> stored = Optional.empty();
        for (StoredCopy copy : copies) {
            int id = topology.volume(copy.volume()).orElseThrow().id();
            tried.add(id);
            if (copy.stored().isPresent()) {
                holders.add(id);
                stored = copy.stored();
            }
        }
        if (holders.size() < majority(wanted)) {
            // a volume that did not answer in time may still store its copy: it is removed from every volume tried
            janitor.removeStraysLater(key, generation, tried);
            throw tooFewCopies(copies, holders.size(), wanted);
        }
        Attributes attributes = attributesOf.get();
        MetaKey meta = new MetaKey(holders, generation, stored.orElseThrow().size(), stored.orElseThrow().crc32c(), attributes);
        Optional<MetaKey> previous;
        try {
            previous = cluster.commitOn(meta, key, () -> metaKeys.put(key, meta));
        } catch (RuntimeException e) {
            if (!(e instanceof StoreException known && known.reason() == Reason.COMMIT_UNCERTAIN)) {
                janitor.removeStraysLater(key, generation, tried); // nothing was committed; an uncertain commit may name these copies
            }
            throw e;
        }
        previous.ifPresent(superseded -> {
            cache.forget(key, superseded);
            janitor.removeLater(key, superseded);
        });
        List<Integer> strays = tried.stream().filter(id -> !holders.contains(id)).toList();
        if (!strays.isEmpty()) {
            janitor.removeStraysLater(key, generation, strays);
        }
        if (cluster.topology().misplaced(key, meta)) {
            repairs.copyLater(key); // too few copies, or some on other volumes than placement's: they move home
        }
        return new Stored(meta, previous.isEmpty());
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no MD5", e);
        }
    }

    /** How many of {@code copies} copies must be stored before a write is acknowledged. */
    static int majority(int copies) {
        return copies / 2 + 1;
    }

    /** With one copy its own failure; else a summary, whose reason is the failures' if they share one. */
    private static StoreException tooFewCopies(List<StoredCopy> copies, int stored, int wanted) {
        List<StoreException> failures = copies.stream().flatMap(copy -> copy.failure().stream()).toList();
        if (wanted == 1) {
            return failures.get(0);
        }
        Reason reason = failures.stream().map(StoreException::reason).distinct().count() == 1
                ? failures.get(0).reason() : Reason.VOLUME_UNAVAILABLE;
        StringBuilder message = new StringBuilder("only " + stored + " of " + wanted + " copies were stored, and "
                + majority(wanted) + " are needed; nothing was written:");
        failures.forEach(failure -> message.append(' ').append(failure.getMessage()).append(';'));
        message.setLength(message.length() - 1);
        return new StoreException(reason, message.toString());
    }

    /** What a write stored; {@code created} if the key had no value before. */
    public record Stored(MetaKey meta, boolean created) {
    }

    /**
     * Opens a value for reading, or the part of it a {@code Range} header asks for (RFC 9110: a single
     * byte range; anything else reads the whole value).
     *
     * @throws UnsatisfiableRangeException if the range starts beyond the value
     */
    public OpenValue open(Key key, Optional<String> rangeHeader) {
        return open(key, meta -> {
            ByteRange.Request request = ByteRange.parse(rangeHeader.orElse(null), meta.size());
            if (request instanceof ByteRange.Unsatisfiable) {
                throw new UnsatisfiableRangeException(rangeHeader.orElseThrow(), meta.size());
            }
            return request instanceof ByteRange.Part part ? Optional.of(part.range()) : Optional.empty();
        });
    }

    /**
     * Opens a value for reading, or the range of it that {@code rangeOf} chooses from its index entry
     * (empty: the whole value); what {@code rangeOf} throws comes through.
     */
    public OpenValue open(Key key, Function<MetaKey, Optional<ByteRange>> rangeOf) {
        for (int attempt = 1; ; attempt++) {
            MetaKey meta = find(key);
            Optional<ByteRange> range = rangeOf.apply(meta);
            Optional<byte[]> kept = cache.get(key, meta);
            if (kept.isPresent()) {
                return inMemory(kept.get(), meta, range);
            }
            Topology topology = cluster.topology();
            List<Integer> missing = new ArrayList<>();
            List<Integer> damaged = new ArrayList<>();
            List<StoreException> failures = new ArrayList<>();
            List<Integer> order = readOrder(topology, meta);
            for (int i = 0; i < order.size(); i++) {
                int holder = order.get(i);
                Optional<Volume> volume = topology.volume(holder);
                Duration deadline = config.deadlines().readOf(i == order.size() - 1, meta.size());
                try {
                    Optional<BlobStream> stream = volumes.get(volume.get().url(), meta.blobName(key), range, deadline);
                    long expected = range.map(ByteRange::length).orElse(meta.size());
                    if (stream.isPresent() && stream.get().size() != expected) {
                        stream.get().discard();
                        throw new StoreException(Reason.VOLUME_FAILED, "volume " + volume.get().url() + " offered "
                                + stream.get().size() + " bytes of key " + key + " where its index entry has " + expected
                                + " (blob " + meta.blobName(key) + ")");
                    }
                    if (stream.isPresent()) {
                        OpenValue value = range.isEmpty() && cache.keeps(meta)
                                ? keep(key, meta, stream.get(), volume.get())
                                : new OpenValue(stream.get().continuedBy(new NextCopies(key, meta, range, topology, order, i)),
                                        meta.size(), range, meta);
                        missing.forEach(copy -> repairs.badCopy(key, meta, copy, false));
                        damaged.forEach(copy -> repairs.badCopy(key, meta, copy, true));
                        return value;
                    }
                    missing.add(holder);
                    failures.add(new StoreException(Reason.VOLUME_FAILED, "volume " + volume.get().url()
                            + " does not have the value of key " + key + " (blob " + meta.blobName(key) + ")"));
                } catch (StoreException e) {
                    if (e.reason() == Reason.VOLUME_UNAVAILABLE) {
                        monitor.markDown(volume.get().url(), e.getMessage());
                    } else {
                        damaged.add(holder);
                    }
                    failures.add(e);
                }
            }
            checkNotLost(key, meta, failures, attempt);
        }
    }

    /**
     * Where a volume breaks off sending a value (it stops answering, or ends its answer early): the rest of
     * the bytes from the next holder in the read's order that has them. The copies of a metakey hold the
     * same bytes, so the client receives one whole value, late by the read deadline, instead of a broken
     * answer.
     */
    private final class NextCopies implements BlobStream.Continuation {

        private final Key key;
        private final MetaKey meta;
        private final Optional<ByteRange> range;
        private final Topology topology;
        private final List<Integer> order;
        private int sending;

        NextCopies(Key key, MetaKey meta, Optional<ByteRange> range, Topology topology, List<Integer> order, int sending) {
            this.key = key;
            this.meta = meta;
            this.range = range;
            this.topology = topology;
            this.order = order;
            this.sending = sending;
        }

        @Override
        public Optional<BlobStream> after(long read, IOException failure) {
            Volume broken = topology.volume(order.get(sending)).orElseThrow();
            monitor.markDown(broken.url(), "it broke off sending the value of key " + key + " after " + read + " bytes: " + failure);
            ByteRange part = range.orElseGet(() -> new ByteRange(0, meta.size() - 1)); // not empty: it broke off before its end
            ByteRange rest = new ByteRange(part.first() + read, part.last());
            while (++sending < order.size()) {
                Optional<Volume> volume = topology.volume(order.get(sending));
                try {
                    Optional<BlobStream> stream = volumes.get(volume.get().url(), meta.blobName(key), Optional.of(rest),
                            config.deadlines().readOf(sending == order.size() - 1, meta.size()));
                    if (stream.isPresent()) {
                        continued.increment();
                        LOG.info(() -> "volume " + broken.url() + " broke off sending the value of key " + key + " after " + read
                                + " bytes (" + failure.getMessage() + "); the rest comes from volume " + volume.get().url());
                        return stream;
                    }
                } catch (StoreException e) {
                    failure.addSuppressed(e);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * A small value read whole from its volume and kept in the cache, once its bytes are those its metakey
     * describes; a copy whose bytes are not is damaged (the next one is tried).
     */
    private OpenValue keep(Key key, MetaKey meta, BlobStream stream, Volume volume) {
        byte[] bytes;
        try {
            bytes = stream.readAll();
        } catch (IOException e) {
            throw new StoreException(Reason.VOLUME_UNAVAILABLE, "volume " + volume.url() + " broke off sending the value of key "
                    + key + ": " + e.getMessage());
        }
        if (!cache.put(key, meta, bytes)) {
            throw new StoreException(Reason.VOLUME_FAILED, "volume " + volume.url() + " sent the value of key " + key
                    + " with another length or CRC32C than its index entry's (blob " + meta.blobName(key) + ")");
        }
        return inMemory(bytes, meta, Optional.empty());
    }

    private static OpenValue inMemory(byte[] value, MetaKey meta, Optional<ByteRange> range) {
        BlobStream stream = range.map(part -> BlobStream.of(value, Math.toIntExact(part.first()), Math.toIntExact(part.length())))
                .orElseGet(() -> BlobStream.of(value, 0, value.length));
        return new OpenValue(stream, meta.size(), range, meta);
    }

    /** The holders of the cluster, in the order a read tries them: those not known to be down first. */
    private List<Integer> readOrder(Topology topology, MetaKey meta) {
        List<Integer> answering = new ArrayList<>();
        List<Integer> down = new ArrayList<>();
        for (int holder : meta.holders()) {
            topology.volume(holder).ifPresent(volume -> (monitor.answering(volume.url()) ? answering : down).add(holder));
        }
        answering.addAll(down);
        return answering;
    }

    /** Values {@link #compose}d by the volumes that hold their parts, since the master started. */
    public long joinedInPlace() {
        return joinedInPlace.sum();
    }

    /** Values {@link #compose} could not have joined where the parts are, so that their parts were streamed. */
    public long joinedByStreaming() {
        return joinedByStreaming.sum();
    }

    /** Reads whose volume broke off mid-value and that went on from another copy, since the master started. */
    public long readsContinued() {
        return continued.sum();
    }

    /** The metakey of a key: what a HEAD answers, without a request to a volume. */
    public MetaKey meta(Key key) {
        return find(key);
    }

    /** The size of a value, as its metakey records it: a HEAD costs no request to a volume. */
    public long size(Key key) {
        return find(key).size();
    }

    public void delete(Key key) {
        if (!deleteIfPresent(key)) {
            throw notFound(key);
        }
    }

    /** Deletes a key's value; false if the key had none (S3 answers both alike). */
    public boolean deleteIfPresent(Key key) {
        Optional<MetaKey> removed = metaKeys.remove(key);
        removed.ifPresent(meta -> {
            cache.forget(key, meta);
            janitor.removeLater(key, meta);
        });
        return removed.isPresent();
    }

    private MetaKey find(Key key) {
        return metaKeys.get(key).orElseThrow(() -> notFound(key));
    }

    /**
     * No copy could be read: fine if the key changed meanwhile (the caller retries); if not, the
     * first failure, preferring a volume that does not answer.
     */
    private void checkNotLost(Key key, MetaKey meta, List<StoreException> failures, int attempt) {
        Optional<MetaKey> now = metaKeys.get(key);
        if (now.isEmpty()) {
            throw notFound(key);
        }
        if (now.get().equals(meta) || attempt == READ_ATTEMPTS) {
            throw failures.stream().filter(e -> e.reason() == Reason.VOLUME_UNAVAILABLE).findFirst()
                    .or(() -> failures.stream().findFirst())
                    .orElseGet(() -> new StoreException(Reason.VOLUME_FAILED, "no volume of the cluster holds the value of key "
                            + key + "; the index names " + meta.holders()));
        }
    }

    private static StoreException notFound(Key key) {
        return new StoreException(Reason.NO_SUCH_KEY, "no such key: " + key);
    }
}
