package io.tdkvs.master.migration.control;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.tdkvs.master.group.control.Leadership;
import io.tdkvs.master.keys.entity.Key;
import io.tdkvs.master.keys.entity.MetaKey;
import io.tdkvs.master.meta.control.MetaStore;
import io.tdkvs.master.topology.entity.Volume;
import io.tdkvs.master.volumes.control.VolumeClient;
import io.tdkvs.protocol.BlobInfo;

/**
 * Removes what a crash or a failed clean-up left on a volume: blobs that no metakey points at
 * there (copies whose move never committed, sources whose delete never ran, values superseded or
 * deleted before the old blob was removed). A blob from a write that may still commit, one of a
 * generation at or above {@code below}, is kept, as is a copy a step is making ({@link CopiesInFlight}).
 */
@ApplicationScoped
public class Sweeper {

    private static final int BATCH = 1000;

    @Inject
    VolumeClient volumes;

    @Inject
    MetaStore metaKeys;

    @Inject
    CopiesInFlight inFlight;

    @Inject
    Leadership leadership;

    /** Lists the volume and removes its orphans; answers how many blobs it removed. */
    public long sweep(Volume volume, long below) {
        Batches batches = new Batches(volume, below);
        volumes.list(volume.url(), batches::add);
        return batches.finish();
    }

    /** The same, for blobs the volume listed earlier; each is checked against the index again. */
    public long removeOrphans(Volume volume, Collection<BlobInfo> listed, long below) {
        Batches batches = new Batches(volume, below);
        listed.forEach(batches::add);
        return batches.finish();
    }

    /** Blobs that look like orphans, removed a batch at a time. */
    private final class Batches {

        private final Volume volume;
        private final long below;
        private final List<BlobInfo> garbage = new ArrayList<>();
        private long removed;

        Batches(Volume volume, long below) {
            this.volume = volume;
            this.below = below;
        }

        void add(BlobInfo blob) {
            if (blob.name().generation() < below && !isReferenced(volume, blob)) {
                garbage.add(blob);
                if (garbage.size() == BATCH) {
                    removed += remove(volume, garbage);
                    garbage.clear();
                }
            }
        }

        long finish() {
            removed += remove(volume, garbage);
            garbage.clear();
            return removed;
        }
    }

    /**
     * Removes what is still garbage when no copy step can begin, and only while this master may answer
     * as the leader: a leader cut off from its group may have an index that is no longer the group's.
     */
    private int remove(Volume volume, List<BlobInfo> garbage) {
        return inFlight.removeOrphans(volume.id(), garbage, blob -> !isReferenced(volume, blob), names -> {
            leadership.requireLease();
            return volumes.deleteAll(volume.url(), names);
        });
    }

    private boolean isReferenced(Volume volume, BlobInfo blob) {
        Optional<MetaKey> meta = metaKeys.get(Key.fromUtf8(blob.key()));
        return meta.isPresent() && meta.get().heldBy(volume.id()) && meta.get().generation() == blob.name().generation();
    }
}
