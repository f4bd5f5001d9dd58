package io.tdkvs.master.lifecycle;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.tdkvs.config.VolumeUrl;
import io.tdkvs.master.errors.Reason;
import io.tdkvs.master.errors.StoreException;
import io.tdkvs.master.meta.control.TopologyStore;
import io.tdkvs.master.migration.control.Migrator;
import io.tdkvs.master.migration.entity.MigrationStatus;
import io.tdkvs.master.topology.control.Cluster;
import io.tdkvs.master.topology.entity.Topology;
import io.tdkvs.master.topology.entity.Volume;
import io.tdkvs.master.volumes.control.VolumeClient;

/**
 * Changes the cluster's volumes: records the new topology in JE, makes it the one writes use, and
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
        if (topology.active().size() == 1) {
            throw new StoreException(Reason.CHANGE_REFUSED, "volume " + url + " is the last one; a cluster needs at least one volume");
        }
        if (topology.active().size() - 1 < topology.replicas()) {
            throw new StoreException(Reason.CHANGE_REFUSED, "the cluster keeps " + topology.replicas() + " copies of each value, "
                    + "each on a volume of its own; without " + url + " " + (topology.active().size() - 1)
                    + " would be left. Add a volume first, or lower replicas");
        }
        requireNoMigration();
        List<Volume> involved = topology.active();
        involved.forEach(v -> volumes.ping(v.url()));
        LOG.info(() -> "deleting volume " + url + " (admin API)");
        apply(topology.withDraining(volume.id()), false);
        return migrator.status();
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
        return draining.isEmpty() ? "rebalance onto " + topology.active() : "drain of " + draining;
    }
}
