package io.tdkvs.master.migration.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.tdkvs.master.keys.entity.Key;
import io.tdkvs.master.keys.entity.MetaKey;
import io.tdkvs.master.meta.control.MetaStore;
import io.tdkvs.master.topology.entity.Volume;
import io.tdkvs.master.volumes.control.VolumeClient;
import io.tdkvs.protocol.BlobInfo;
import io.tdkvs.protocol.BlobName;

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

    /** Answers how many blobs it removed. */
    public long sweep(Volume volume, long below) {
        AtomicLong removed = new AtomicLong();
        List<BlobInfo> garbage = new ArrayList<>();
        volumes.list(volume.url(), blob -> {
            if (blob.name().generation() < below && !isReferenced(volume, blob)) {
                garbage.add(blob);
                if (garbage.size() == BATCH) {
                    removed.addAndGet(remove(volume, garbage));
                    garbage.clear();
                }
            }
        });
        removed.addAndGet(remove(volume, garbage));
        return removed.get();
    }

    /** Removes what is still garbage when no copy step can begin. */
    private int remove(Volume volume, List<BlobInfo> garbage) {
        AtomicLong removed = new AtomicLong();
        inFlight.removeOrphans(volume.id(), garbage, blob -> !isReferenced(volume, blob),
                names -> removed.set(volumes.deleteAll(volume.url(), names)));
        return (int) removed.get();
    }

    private boolean isReferenced(Volume volume, BlobInfo blob) {
        Optional<MetaKey> meta = metaKeys.get(Key.fromUtf8(blob.key()));
        return meta.isPresent() && meta.get().heldBy(volume.id()) && meta.get().generation() == blob.name().generation();
    }
}
