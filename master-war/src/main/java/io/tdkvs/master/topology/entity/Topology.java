package io.tdkvs.master.topology.entity;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import io.tdkvs.config.VolumeUrl;
import io.tdkvs.master.keys.entity.Key;
import io.tdkvs.master.keys.entity.MetaKey;

/**
 * The cluster as the master records it: its volumes, the placement state, the volumes deleted
 * since the operator last started without them, and whether every key sits where placement puts it.
 *
 * @param volumes      active and draining volumes, in the order they joined
 * @param memento      placement over the volumes' buckets
 * @param nextVolumeId the id the next added volume gets
 * @param retired      volumes that were deleted; they must not reappear in the config file
 * @param settled      false from a change of the volumes or of {@code replicas} until a migration has
 *                     put every key's copies where placement puts them
 * @param replicas     how many copies of each value the cluster keeps, each on another volume
 */
public record Topology(List<Volume> volumes, Memento memento, int nextVolumeId, List<VolumeUrl> retired, boolean settled,
                       int replicas) {

    public Topology {
        volumes = List.copyOf(volumes);
        retired = List.copyOf(retired);
        if (replicas < 1) {
            throw new IllegalArgumentException("a cluster keeps at least one copy of each value, not " + replicas);
        }
    }

    /** A cluster that keeps one copy of each value. */
    public Topology(List<Volume> volumes, Memento memento, int nextVolumeId, List<VolumeUrl> retired, boolean settled) {
        this(volumes, memento, nextVolumeId, retired, settled, 1);
    }

    /** The first topology of a cluster that keeps one copy of each value. */
    public static Topology initial(List<VolumeUrl> urls) {
        return initial(urls, 1);
    }

    /** The first topology of a cluster: the listed volumes, in order, on buckets 0..n-1. */
    public static Topology initial(List<VolumeUrl> urls, int replicas) {
        List<Volume> volumes = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            volumes.add(new Volume(i, urls.get(i), i, VolumeState.ACTIVE));
        }
        return new Topology(volumes, Memento.of(urls.size()), urls.size(), List.of(), true, replicas);
    }

    /**
     * The volumes that a key's copies belong on, first copy first: {@link Replicas} over the active
     * volumes' buckets. Fewer than {@code replicas} while fewer volumes are active.
     */
    public List<Volume> placement(Key key) {
        int[] buckets = Replicas.buckets(memento, key.placementHash(), copies());
        List<Volume> placed = new ArrayList<>(buckets.length);
        for (int bucket : buckets) {
            placed.add(volumes.stream().filter(v -> v.active() && v.bucket() == bucket).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no active volume on bucket " + bucket)));
        }
        return placed;
    }

    /** How many copies each value gets now: {@code replicas}, or fewer while fewer volumes are active. */
    public int copies() {
        return Math.min(replicas, memento.workingBuckets());
    }

    /**
     * Every active volume, in the order a key prefers them: its {@link #placement} first, then the
     * others as {@link Replicas} ranks them. A copy that its placement volume cannot take goes to the
     * first of the others that can.
     */
    public List<Volume> ranking(Key key) {
        int[] buckets = Replicas.buckets(memento, key.placementHash(), memento.workingBuckets());
        List<Volume> ranked = new ArrayList<>(buckets.length);
        for (int bucket : buckets) {
            volumes.stream().filter(v -> v.active() && v.bucket() == bucket).findFirst().ifPresent(ranked::add);
        }
        return ranked;
    }

    /** The ids of {@link #placement}. */
    public List<Integer> placementIds(Key key) {
        return placement(key).stream().map(Volume::id).toList();
    }

    /** Whether a key's copies are elsewhere than placement puts them, or more or fewer. */
    public boolean misplaced(Key key, MetaKey meta) {
        List<Integer> placed = placementIds(key);
        return placed.size() != meta.holders().size() || !meta.holders().containsAll(placed);
    }

    /**
     * The next change that brings a key's copies to its placement, or empty when they are there (or
     * when no volume of the cluster holds one).
     * <ul>
     * <li>A placement volume without a copy gets one: from a copy that must go, which then goes (a move),
     * or else from the first holder.</li>
     * <li>With none missing, a copy that placement does not want goes.</li>
     * <li>Holders that left the cluster are forgotten.</li>
     * </ul>
     */
    public Optional<CopyStep> nextStep(Key key, MetaKey meta) {
        List<Integer> placed = placementIds(key);
        List<Integer> held = meta.holders().stream().filter(id -> volume(id).isPresent()).toList();
        if (held.isEmpty()) {
            return Optional.empty();
        }
        List<Integer> missing = placed.stream().filter(id -> !held.contains(id)).toList();
        List<Integer> extra = held.stream().filter(id -> !placed.contains(id)).toList();
        if (!missing.isEmpty()) {
            int target = missing.get(0);
            int source = extra.isEmpty() ? held.get(0) : extra.get(0);
            List<Integer> after = new ArrayList<>(held);
            after.add(target);
            if (!extra.isEmpty()) {
                after.remove(Integer.valueOf(source));
            }
            return Optional.of(new CopyStep(source, OptionalInt.of(target), !extra.isEmpty(), inPlacementOrder(placed, after)));
        }
        if (!extra.isEmpty()) {
            int source = extra.get(0);
            List<Integer> after = new ArrayList<>(held);
            after.remove(Integer.valueOf(source));
            return Optional.of(new CopyStep(source, OptionalInt.empty(), true, inPlacementOrder(placed, after)));
        }
        if (held.size() < meta.holders().size()) {
            return Optional.of(new CopyStep(held.get(0), OptionalInt.empty(), false, inPlacementOrder(placed, held)));
        }
        return Optional.empty();
    }

    /** The holders that placement wants, in its order, then the others, in theirs. */
    private static List<Integer> inPlacementOrder(List<Integer> placed, List<Integer> holders) {
        List<Integer> ordered = new ArrayList<>(placed.stream().filter(holders::contains).toList());
        holders.stream().filter(id -> !placed.contains(id)).forEach(ordered::add);
        return ordered;
    }

    /** Keeps {@code copies} copies of each value; unless that is unchanged, a migration must add or drop copies. */
    public Topology withReplicas(int copies) {
        return new Topology(volumes, memento, nextVolumeId, retired, settled && copies == replicas, copies);
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
        return new Topology(next, memento.withAdded(), nextVolumeId + 1, retired, false, replicas);
    }

    /** Starts deleting a volume: placement no longer uses it, and a migration must empty it. */
    public Topology withDraining(int volumeId) {
        Volume volume = volume(volumeId).filter(Volume::active)
                .orElseThrow(() -> new IllegalArgumentException("no active volume " + volumeId));
        List<Volume> next = volumes.stream().map(v -> v.id() == volumeId ? v.draining() : v).toList();
        return new Topology(next, memento.withRemoved(volume.bucket()), nextVolumeId, retired, false, replicas);
    }

    /**
     * Takes a volume that is gone for good out of the cluster at once: placement no longer uses it,
     * it must not come back, and a migration must re-create the copies it held from the others.
     */
    public Topology withRemoved(int volumeId) {
        Volume volume = volume(volumeId).orElseThrow(() -> new IllegalArgumentException("no volume " + volumeId));
        List<Volume> next = volumes.stream().filter(v -> v.id() != volumeId).toList();
        List<VolumeUrl> nextRetired = new ArrayList<>(retired);
        nextRetired.add(volume.url());
        Memento placement = volume.active() ? memento.withRemoved(volume.bucket()) : memento;
        return new Topology(next, placement, nextVolumeId, nextRetired, false, replicas);
    }

    /** Every key is in place: draining volumes are empty and leave the cluster. */
    public Topology afterMigration() {
        List<VolumeUrl> nextRetired = new ArrayList<>(retired);
        draining().forEach(v -> nextRetired.add(v.url()));
        return new Topology(active(), memento, nextVolumeId, nextRetired, true, replicas);
    }

    /** The same cluster, with keys to move into place: the next start's migration does it. */
    public Topology unsettled() {
        return new Topology(volumes, memento, nextVolumeId, retired, false, replicas);
    }

    /** The operator has removed the deleted volumes from the config file: forget them. */
    public Topology withRetiredForgotten() {
        return new Topology(volumes, memento, nextVolumeId, List.of(), settled, replicas);
    }
}
