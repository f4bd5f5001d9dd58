package io.tdkvs.master.keys.control;

import java.io.InputStream;
import java.util.Optional;
import java.util.OptionalLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.tdkvs.master.errors.Reason;
import io.tdkvs.master.errors.StoreException;
import io.tdkvs.master.keys.entity.Key;
import io.tdkvs.master.keys.entity.MetaKey;
import io.tdkvs.master.meta.control.MetaStore;
import io.tdkvs.master.topology.control.Cluster;
import io.tdkvs.master.topology.entity.Volume;
import io.tdkvs.master.volumes.control.BlobStream;
import io.tdkvs.master.volumes.control.StoredBlob;
import io.tdkvs.master.volumes.control.VolumeClient;

/**
 * Values by key. Every write goes to a blob of its own generation, so the blob a metakey points at
 * is never overwritten: a crash at any point leaves the old value or the new one, plus at worst an
 * orphan blob. Writes to one key are ordered by the metakey transaction; the last commit wins.
 */
@ApplicationScoped
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

    /** Stores a value; true if the key is new, false if it replaced a value. */
    public boolean put(Key key, InputStream value, OptionalLong length) {
        Volume target = cluster.topology().locate(key);
        long generation = writes.begin();
        try {
            String blob = MetaKey.blobName(key, generation);
            StoredBlob stored = volumes.put(target.url(), blob, key, value, length);
            MetaKey meta = new MetaKey(target.id(), generation, stored.size(), stored.crc32c());
            Optional<MetaKey> previous;
            try {
                previous = cluster.commitOn(target, key, () -> metaKeys.put(key, meta));
            } catch (RuntimeException e) {
                janitor.removeLater(key, meta);
                throw e;
            }
            previous.ifPresent(superseded -> janitor.removeLater(key, superseded));
            return previous.isEmpty();
        } finally {
            writes.end(generation);
        }
    }

    /** Opens a value for reading; the caller streams and closes it. */
    public BlobStream open(Key key) {
        for (int attempt = 1; ; attempt++) {
            MetaKey meta = find(key);
            Volume holder = cluster.holder(meta);
            Optional<BlobStream> stream = volumes.get(holder.url(), meta.blobName(key));
            if (stream.isPresent()) {
                return stream.get();
            }
            checkNotLost(key, meta, holder, attempt);
        }
    }

    /** The size of a value, asked of the volume that holds it. */
    public long size(Key key) {
        for (int attempt = 1; ; attempt++) {
            MetaKey meta = find(key);
            Volume holder = cluster.holder(meta);
            OptionalLong size = volumes.size(holder.url(), meta.blobName(key));
            if (size.isPresent()) {
                return size.getAsLong();
            }
            checkNotLost(key, meta, holder, attempt);
        }
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
            throw new StoreException(Reason.VOLUME_FAILED, "volume " + holder.url() + " does not have the value of key "
                    + key + " (blob " + meta.blobName(key) + ")");
        }
    }

    private static StoreException notFound(Key key) {
        return new StoreException(Reason.NOT_FOUND, "no such key: " + key);
    }
}
