package io.tdkvs.master.topology.entity;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.tdkvs.config.VolumeUrl;
import io.tdkvs.master.keys.entity.Key;

/**
 * The cluster as the master records it: its volumes, the placement state, the volumes deleted
 * since the operator last started without them, and whether every key sits where placement puts it.
 *
 * @param volumes      active and draining volumes, in the order they joined
 * @param memento      placement over the volumes' buckets
 * @param nextVolumeId the id the next added volume gets
 * @param retired      volumes that were deleted; they must not reappear in the config file
 * @param settled      false from a change of the volumes until a migration has moved every key
 */
public record Topology(List<Volume> volumes, Memento memento, int nextVolumeId, List<VolumeUrl> retired, boolean settled) {

    public Topology {
        volumes = List.copyOf(volumes);
        retired = List.copyOf(retired);
    }

    /** The first topology of a cluster: the listed volumes, in order, on buckets 0..n-1. */
    public static Topology initial(List<VolumeUrl> urls) {
        List<Volume> volumes = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            volumes.add(new Volume(i, urls.get(i), i, VolumeState.ACTIVE));
        }
        return new Topology(volumes, Memento.of(urls.size()), urls.size(), List.of(), true);
    }

    /** The volume that a key belongs on. */
    public Volume locate(Key key) {
        int bucket = memento.bucket(key.placementHash());
        return volumes.stream().filter(v -> v.active() && v.bucket() == bucket).findFirst()
                .orElseThrow(() -> new IllegalStateException("no active volume on bucket " + bucket));
    }

    /** Whether a key whose value is on volume {@code holder} is somewhere else than placement puts it. */
    public boolean misplaced(Key key, int holder) {
        return locate(key).id() != holder;
    }

    public Optional<Volume> volume(int id) {
        return volumes.stream().filter(v -> v.id() == id).findFirst();
    }

    public Optional<Volume> volume(VolumeUrl url) {
        return volumes.stream().filter(v -> v.url().equals(url)).findFirst();
    }

    public List<Volume> active() {
        return volumes.stream().filter(Volume::active).toList();
    }

    public List<Volume> draining() {
        return volumes.stream().filter(v -> !v.active()).toList();
    }

    public Topology withAdded(VolumeUrl url) {
        List<Volume> next = new ArrayList<>(volumes);
        next.add(new Volume(nextVolumeId, url, memento.nextBucket(), VolumeState.ACTIVE));
        return new Topology(next, memento.withAdded(), nextVolumeId + 1, retired, false);
    }

    /** Starts deleting a volume: placement no longer uses it, and a migration must empty it. */
    public Topology withDraining(int volumeId) {
        Volume volume = volume(volumeId).filter(Volume::active)
                .orElseThrow(() -> new IllegalArgumentException("no active volume " + volumeId));
        List<Volume> next = volumes.stream().map(v -> v.id() == volumeId ? v.draining() : v).toList();
        return new Topology(next, memento.withRemoved(volume.bucket()), nextVolumeId, retired, false);
    }

    /** Every key is in place: draining volumes are empty and leave the cluster. */
    public Topology afterMigration() {
        List<VolumeUrl> nextRetired = new ArrayList<>(retired);
        draining().forEach(v -> nextRetired.add(v.url()));
        return new Topology(active(), memento, nextVolumeId, nextRetired, true);
    }

    /** The same cluster, with keys to move into place: the next start's migration does it. */
    public Topology unsettled() {
        return new Topology(volumes, memento, nextVolumeId, retired, false);
    }

    /** The operator has removed the deleted volumes from the config file: forget them. */
    public Topology withRetiredForgotten() {
        return new Topology(volumes, memento, nextVolumeId, List.of(), settled);
    }
}
