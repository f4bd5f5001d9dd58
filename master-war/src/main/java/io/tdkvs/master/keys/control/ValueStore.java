package io.tdkvs.master.keys.control;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tdkvs.master.errors.Reason;
import io.tdkvs.master.errors.StoreException;
import io.tdkvs.master.errors.UnsatisfiableRangeException;
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
import io.tdkvs.protocol.BlobInfo;
import io.tdkvs.protocol.ByteRange;

/**
 * Values by key. Every write goes to a blob of its own generation, so a blob a metakey points at
 * is never overwritten: a crash at any point leaves the old value or the new one, plus at worst
 * orphan blobs. Writes to one key are ordered by the metakey transaction; the last commit wins.
 * <p>
 * A value is written to every volume placement picks for it at once, and committed once a majority
 * of them stored and synced their copy; the index records which did. Copies that failed are made
 * afterwards ({@link Repairs}). A read tries the holders in order and answers from the first good
 * copy: a volume that does not answer, or a copy missing or damaged, makes it try the next.
 */
@Singleton
public class ValueStore {

    /** A read that finds its blob gone retries this often: a concurrent write or move replaced it. */
    private static final int READ_ATTEMPTS = 3;

    @Inject
    MetaStore metaKeys;

    @Inject
    VolumeClient volumes;

    @Inject
    Cluster cluster;

    @Inject
    Janitor janitor;

    @Inject
    WritesInFlight writes;

    @Inject
    Repairs repairs;

    /** Stores a value; answers what was stored, and whether the key is new (else it replaced a value). */
    public Stored put(Key key, InputStream value, OptionalLong length) {
        List<Volume> targets = cluster.topology().placement(key);
        long generation = writes.begin();
        try {
            List<StoredCopy> copies = volumes.putAll(targets.stream().map(Volume::url).toList(),
                    MetaKey.blobName(key, generation), key, value, length);
            List<Integer> holders = new ArrayList<>();
            Optional<BlobInfo> stored = Optional.empty();
            for (int i = 0; i < copies.size(); i++) {
                if (copies.get(i).stored().isPresent()) {
                    holders.add(targets.get(i).id());
                    stored = copies.get(i).stored();
                }
            }
            if (holders.size() < majority(targets.size())) {
                janitor.removeLater(key, generation, holders);
                throw tooFewCopies(copies, holders.size(), targets.size());
            }
            MetaKey meta = new MetaKey(holders, generation, stored.orElseThrow().size(), stored.orElseThrow().crc32c());
            Optional<MetaKey> previous;
            try {
                previous = cluster.commitOn(meta, key, () -> metaKeys.put(key, meta));
            } catch (RuntimeException e) {
                if (!(e instanceof StoreException known && known.reason() == Reason.COMMIT_UNCERTAIN)) {
                    janitor.removeLater(key, meta); // nothing was committed; an uncertain commit may name these copies
                }
                throw e;
            }
            previous.ifPresent(superseded -> janitor.removeLater(key, superseded));
            if (holders.size() < targets.size()) {
                repairs.copyLater(key);
            }
            return new Stored(meta, previous.isEmpty());
        } finally {
            writes.end(generation);
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
        for (int attempt = 1; ; attempt++) {
            MetaKey meta = find(key);
            ByteRange.Request request = ByteRange.parse(rangeHeader.orElse(null), meta.size());
            if (request instanceof ByteRange.Unsatisfiable) {
                throw new UnsatisfiableRangeException(rangeHeader.orElseThrow(), meta.size());
            }
            Optional<ByteRange> range = request instanceof ByteRange.Part part ? Optional.of(part.range()) : Optional.empty();
            Topology topology = cluster.topology();
            List<Integer> missing = new ArrayList<>();
            List<Integer> damaged = new ArrayList<>();
            List<StoreException> failures = new ArrayList<>();
            for (int holder : meta.holders()) {
                Optional<Volume> volume = topology.volume(holder);
                if (volume.isEmpty()) {
                    continue;
                }
                try {
                    Optional<BlobStream> stream = volumes.get(volume.get().url(), meta.blobName(key), range);
                    if (stream.isPresent()) {
                        missing.forEach(copy -> repairs.badCopy(key, meta, copy, false));
                        damaged.forEach(copy -> repairs.badCopy(key, meta, copy, true));
                        return new OpenValue(stream.get(), meta.size(), range);
                    }
                    missing.add(holder);
                    failures.add(new StoreException(Reason.VOLUME_FAILED, "volume " + volume.get().url()
                            + " does not have the value of key " + key + " (blob " + meta.blobName(key) + ")"));
                } catch (StoreException e) {
                    if (e.reason() != Reason.VOLUME_UNAVAILABLE) {
                        damaged.add(holder);
                    }
                    failures.add(e);
                }
            }
            checkNotLost(key, meta, failures, attempt);
        }
    }

    /** The size of a value, as its metakey records it: a HEAD costs no request to a volume. */
    public long size(Key key) {
        return find(key).size();
    }

    public void delete(Key key) {
        MetaKey removed = metaKeys.remove(key).orElseThrow(() -> notFound(key));
        janitor.removeLater(key, removed);
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
