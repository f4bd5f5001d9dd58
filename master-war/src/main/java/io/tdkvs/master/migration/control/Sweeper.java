package io.tdkvs.master.migration.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.tdkvs.master.keys.entity.MetaKey;
import io.tdkvs.master.meta.control.MetaStore;
import io.tdkvs.master.topology.entity.Volume;
import io.tdkvs.master.volumes.control.Listed;
import io.tdkvs.master.volumes.control.VolumeClient;

/**
 * Removes what a crash or a failed clean-up left on a volume: blobs that no metakey points at
 * there (copies whose move never committed, sources whose delete never ran, values superseded or
 * deleted before the old blob was removed). A blob from a write that may still commit, one of a
 * generation at or above {@code below}, is kept.
 */
@ApplicationScoped
public class Sweeper {

    private static final int BATCH = 1000;

    @Inject
    VolumeClient volumes;

    @Inject
    MetaStore metaKeys;

    /** Answers how many blobs it removed. */
    public long sweep(Volume volume, long below) {
        AtomicLong removed = new AtomicLong();
        List<String> garbage = new ArrayList<>();
        volumes.list(volume.url(), blob -> {
            if (blob.generation() < below && !isReferenced(volume, blob)) {
                garbage.add(blob.blobName());
                if (garbage.size() == BATCH) {
                    removed.addAndGet(volumes.deleteAll(volume.url(), garbage));
                    garbage.clear();
                }
            }
        });
        removed.addAndGet(volumes.deleteAll(volume.url(), garbage));
        return removed.get();
    }

    private boolean isReferenced(Volume volume, Listed blob) {
        Optional<MetaKey> meta = metaKeys.get(blob.key());
        return meta.isPresent() && meta.get().volumeId() == volume.id() && meta.get().generation() == blob.generation();
    }
}
