package io.tdkvs.master.rebuild.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.tdkvs.master.keys.entity.Attributes;
import io.tdkvs.master.keys.entity.Key;
import io.tdkvs.master.keys.entity.MetaKey;
import io.tdkvs.master.meta.control.MetaStore;
import io.tdkvs.master.migration.control.Sweeper;
import io.tdkvs.master.topology.entity.Topology;
import io.tdkvs.master.topology.entity.Volume;
import io.tdkvs.master.volumes.control.VolumeClient;
import io.tdkvs.protocol.BlobInfo;

/**
 * Recreates the metakeys from the volumes: every blob file holds its key, its generation (in its
 * name), its size and its CRC32C, and a volume lists only the blobs that are whole. For each key the
 * newest generation found wins, with every volume that holds a copy of it; the blobs it supersedes
 * are then swept from the volumes, and later
 * writes get generations above every one found.
 */
@ApplicationScoped
public class IndexRebuild {

    private static final Logger LOG = Logger.getLogger(IndexRebuild.class.getName());
    private static final int BATCH = 1000;

    @Inject
    VolumeClient volumes;

    @Inject
    MetaStore metaKeys;

    @Inject
    Sweeper sweeper;

    /** Fills an empty index from the volumes of {@code topology}; answers what it found and did. */
    public Summary rebuild(Topology topology) {
        long started = System.nanoTime();
        long blobs = 0;
        long newest = 0;
        for (Volume volume : topology.active()) {
            Listing listing = new Listing(volume);
            volumes.list(volume.url(), listing::add);
            listing.flush();
            blobs += listing.blobs;
            newest = Math.max(newest, listing.newest);
            LOG.info(volume + ": " + listing.blobs + " blobs listed");
        }
        metaKeys.advanceGenerationsPast(newest);
        long keys = metaKeys.count();
        long misplaced = metaKeys.count(entry -> topology.misplaced(entry.key(), entry.meta()));
        long removed = 0;
        for (Volume volume : topology.active()) {
            removed += sweeper.sweep(volume, newest + 1);
        }
        return new Summary(topology.active().size(), blobs, keys, removed, misplaced, (System.nanoTime() - started) / 1e9);
    }

    /**
     * What a rebuild did.
     *
     * @param volumes    volumes listed
     * @param blobs      whole blobs they listed
     * @param keys       keys in the index now
     * @param superseded blobs removed because a newer generation of their key was found
     * @param misplaced  keys not on the volume placement picks; the next start moves them
     */
    public record Summary(int volumes, long blobs, long keys, long superseded, long misplaced, double seconds) {

        public String describe() {
            return String.format("index rebuilt from %d volumes in %.1f s: %d keys from %d blobs; %d superseded blobs removed; "
                    + "%d keys with copies off their placement (or more or fewer of them), which the next start puts right", volumes, seconds, keys, blobs, superseded, misplaced);
        }
    }

    /** One volume's listing, recorded a batch at a time. */
    private final class Listing {

        private final Volume volume;
        private final List<MetaStore.Entry> batch = new ArrayList<>(BATCH);
        private long blobs;
        private long newest;

        Listing(Volume volume) {
            this.volume = volume;
        }

        void add(BlobInfo blob) {
            blobs++;
            long generation = blob.name().generation();
            newest = Math.max(newest, generation);
            // the time of the write is the blob file's (a copy moved since has a later one, see MetaStore#putNewest);
            // the MD5, content type and S3 metadata are kept in the index alone, and are lost with it
            Attributes attributes = blob.modified() > 0 ? new Attributes(blob.modified(), "", 0, "", Map.of()) : Attributes.NONE;
            batch.add(new MetaStore.Entry(Key.fromUtf8(blob.key()),
                    new MetaKey(List.of(volume.id()), generation, blob.size(), blob.crc32c(), attributes)));
            if (batch.size() == BATCH) {
                flush();
            }
        }

        void flush() {
            if (!batch.isEmpty()) {
                metaKeys.putNewest(batch);
                batch.clear();
            }
        }
    }
}
