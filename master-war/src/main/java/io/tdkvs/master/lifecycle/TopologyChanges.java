package io.tdkvs.master.lifecycle;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.tdkvs.config.VolumeUrl;
import io.tdkvs.master.errors.Reason;
import io.tdkvs.master.errors.StoreException;
import io.tdkvs.master.meta.control.MetaStore;
import io.tdkvs.master.meta.control.TopologyStore;
import io.tdkvs.master.migration.control.Migrator;
import io.tdkvs.master.migration.entity.MigrationStatus;
import io.tdkvs.master.topology.control.Cluster;
import io.tdkvs.master.topology.entity.Topology;
import io.tdkvs.master.topology.entity.Volume;
import io.tdkvs.master.volumes.control.VolumeClient;

/**
 * Changes the cluster's volumes (adds, drains, removals of dead volumes): records the new topology in JE, makes it the one writes use, and
 * starts the migration it needs. Used at start (the config file's changes, {@code -delete}) and by
 * the admin API on a running master; one change at a time, and none while a migration runs.
 */
@ApplicationScoped
public class TopologyChanges {

    private static final Logger LOG = Logger.getLogger(TopologyChanges.class.getName());

    @Inject
    TopologyStore topologies;

    @Inject
    Cluster cluster;

    @Inject
    Migrator migrator;

    @Inject
    VolumeClient volumes;

    @Inject
    MetaStore metaKeys;

    /**
     * Records {@code next} and, unless it is settled, migrates to it.
     *
     * @param resumed whether a migration to it was under way when the master last stopped
     */
    public synchronized CompletableFuture<MigrationStatus> apply(Topology next, boolean resumed) {
        requireNotMigrating();
        topologies.save(next);
        cluster.set(next);
        if (next.settled()) {
            return CompletableFuture.completedFuture(migrator.status());
        }
        return migrator.start(describe(next), resumed);
    }

    /** Adds a running volume to the cluster and rebalances onto it. */
    public synchronized MigrationStatus add(VolumeUrl url) {
        Topology topology = cluster.topology();
        if (topology.volume(url).isPresent()) {
            throw new StoreException(Reason.CHANGE_REFUSED, "volume " + url + " is already part of the cluster");
        }
        if (topology.retired().contains(url)) {
            throw new StoreException(Reason.CHANGE_REFUSED, "volume " + url + " was deleted; remove it from volumes in the "
                    + "config file and restart the master before it can join again");
        }
        requireNoMigration();
        volumes.ping(url);
        LOG.info(() -> "adding volume " + url + " (admin API)");
        apply(topology.withAdded(url), false);
        return migrator.status();
    }

    /** Starts deleting a volume: its keys move to the others. */
    public synchronized MigrationStatus drain(VolumeUrl url) {
        Topology topology = cluster.topology();
        Volume volume = topology.volume(url).orElseThrow(() -> new StoreException(Reason.NO_SUCH_VOLUME, "volume " + url
                + " is not part of the cluster; its volumes are " + topology.active()));
        if (!volume.active()) {
            throw new StoreException(Reason.CHANGE_REFUSED, "volume " + url + " is already being drained");
        }
        requireEnoughLeft(topology, url, topology.active().size() - 1);
        requireNoMigration();
        List<Volume> involved = topology.active();
        involved.forEach(v -> volumes.ping(v.url()));
        LOG.info(() -> "deleting volume " + url + " (admin API)");
        apply(topology.withDraining(volume.id()), false);
        return migrator.status();
    }

    /** Keeps {@code copies} copies of each value from now on: a migration adds or drops copies. */
    public synchronized MigrationStatus replicas(int copies) {
        Topology topology = cluster.topology();
        if (copies < 1 || copies > topology.active().size()) {
            throw new StoreException(Reason.INVALID_CHANGE, "replicas " + copies + " is out of range: each copy needs a volume "
                    + "of its own, and the cluster has " + topology.active().size() + " (1-" + topology.active().size() + ")");
        }
        if (copies == topology.replicas()) {
            throw new StoreException(Reason.CHANGE_REFUSED, "the cluster already keeps " + copies + " copies of each value");
        }
        requireNoMigration();
        LOG.info(() -> "keeping " + copies + " copies of each value, was " + topology.replicas() + " (admin API)");
        apply(topology.withReplicas(copies), false);
        return migrator.status();
    }

    /**
     * Takes a volume that is gone for good out of the cluster: the copies it held are re-created from
     * the other volumes by a migration. Keys that only it holds are lost: refused unless
     * {@code acceptLoss}, which forgets them.
     */
    public synchronized MigrationStatus remove(VolumeUrl url, boolean acceptLoss) {
        Topology topology = cluster.topology();
        Volume volume = topology.volume(url).orElseThrow(() -> new StoreException(Reason.NO_SUCH_VOLUME, "volume " + url
                + " is not part of the cluster; its volumes are " + topology.volumes()));
        requireEnoughLeft(topology, url, topology.active().size() - (volume.active() ? 1 : 0));
        requireNotMigrating();
        List<MetaStore.Entry> lost = onlyOn(topology, volume.id());
        if (!lost.isEmpty() && !acceptLoss) {
            throw new StoreException(Reason.CHANGE_REFUSED, lost.size() + " keys have no copy on another volume and would be "
                    + "lost; GET /admin/volumes/lost?url=" + url + " lists them. To remove the volume anyway and forget them, "
                    + "send {\"url\": \"" + url + "\", \"acceptLoss\": true}");
        }
        metaKeys.removeAllIf(lost);
        LOG.warning(() -> "removing volume " + url + " (admin API)" + (lost.isEmpty() ? "" : "; " + lost.size()
                + " keys that only it held are forgotten"));
        apply(cluster.topology().withRemoved(volume.id()), false);
        return migrator.status();
    }

    /** The keys whose copies are all on {@code volumeId} (or on volumes that already left the cluster). */
    public List<MetaStore.Entry> onlyOn(Topology topology, int volumeId) {
        List<MetaStore.Entry> only = new ArrayList<>();
        metaKeys.forEach(entry -> {
            if (entry.meta().holders().stream().allMatch(id -> id == volumeId || topology.volume(id).isEmpty())) {
                only.add(entry);
            }
        });
        return only;
    }

    /** Refuses a change that would leave {@code left} active volumes: none, or fewer than the copies of each value. */
    private static void requireEnoughLeft(Topology topology, VolumeUrl url, int left) {
        if (left == 0) {
            throw new StoreException(Reason.CHANGE_REFUSED, "volume " + url + " is the last one; a cluster needs at least one volume");
        }
        if (left < topology.replicas()) {
            throw new StoreException(Reason.CHANGE_REFUSED, "the cluster keeps " + topology.replicas() + " copies of each value, "
                    + "each on a volume of its own; without " + url + " " + left + " would be left. Add a volume first, or lower replicas");
        }
    }

    private void requireNotMigrating() {
        if (migrator.running()) {
            throw new StoreException(Reason.CHANGE_REFUSED, "a migration is running (" + migrator.status().description()
                    + "); wait until GET /admin/migration says it is done");
        }
    }

    /** Neither running nor left unfinished: the topology is settled. */
    private void requireNoMigration() {
        requireNotMigrating();
        if (!cluster.topology().settled()) {
            throw new StoreException(Reason.CHANGE_REFUSED, "the last migration (" + migrator.status().description()
                    + ") did not finish: " + migrator.status().message() + "; restart the master to resume it");
        }
    }

    static String describe(Topology topology) {
        List<Volume> draining = topology.draining();
        return (draining.isEmpty() ? "rebalance onto " + topology.active() : "drain of " + draining)
                + (topology.replicas() > 1 ? ", " + topology.replicas() + " copies of each value" : "");
    }
}
