package io.tdkvs.master.keys.control;

import java.io.InputStream;
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
import io.tdkvs.master.topology.control.Cluster;
import io.tdkvs.master.topology.entity.Volume;
import io.tdkvs.master.volumes.control.BlobStream;
import io.tdkvs.master.volumes.control.VolumeClient;
import io.tdkvs.protocol.BlobInfo;
import io.tdkvs.protocol.BlobName;
import io.tdkvs.protocol.ByteRange;

/**
 * Values by key. Every write goes to a blob of its own generation, so the blob a metakey points at
 * is never overwritten: a crash at any point leaves the old value or the new one, plus at worst an
 * orphan blob. Writes to one key are ordered by the metakey transaction; the last commit wins.
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

    /** Stores a value; answers what was stored, and whether the key is new (else it replaced a value). */
    public Stored put(Key key, InputStream value, OptionalLong length) {
        Volume target = cluster.topology().locate(key);
        long generation = writes.begin();
        try {
            BlobInfo stored = volumes.put(target.url(), MetaKey.blobName(key, generation), key, value, length);
            MetaKey meta = new MetaKey(target.id(), generation, stored.size(), stored.crc32c());
            Optional<MetaKey> previous;
            try {
                previous = cluster.commitOn(target, key, () -> metaKeys.put(key, meta));
            } catch (RuntimeException e) {
                janitor.removeLater(key, meta);
                throw e;
            }
            previous.ifPresent(superseded -> janitor.removeLater(key, superseded));
            return new Stored(meta, previous.isEmpty());
        } finally {
            writes.end(generation);
        }
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
            Volume holder = cluster.holder(meta);
            Optional<BlobStream> stream = volumes.get(holder.url(), meta.blobName(key), range);
            if (stream.isPresent()) {
                return new OpenValue(stream.get(), meta.size(), range);
            }
            checkNotLost(key, meta, holder, attempt);
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

    /** The blob was missing: fine if the key changed meanwhile (the caller retries), an error if not. */
    private void checkNotLost(Key key, MetaKey meta, Volume holder, int attempt) {
        Optional<MetaKey> now = metaKeys.get(key);
        if (now.isEmpty()) {
            throw notFound(key);
        }
        if (now.get().equals(meta) || attempt == READ_ATTEMPTS) {
            BlobName blob = meta.blobName(key);
            throw new StoreException(Reason.VOLUME_FAILED, "volume " + holder.url() + " does not have the value of key "
                    + key + " (blob " + blob + ")");
        }
    }

    private static StoreException notFound(Key key) {
        return new StoreException(Reason.NO_SUCH_KEY, "no such key: " + key);
    }
}
