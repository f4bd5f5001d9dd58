package io.tdkvs.master.lifecycle;

import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import io.tdkvs.config.ConfigException;
import io.tdkvs.config.MasterConfig;
import io.tdkvs.master.errors.StoreException;
import io.tdkvs.master.meta.control.TopologyStore;
import io.tdkvs.master.migration.control.Migrator;
import io.tdkvs.master.migration.entity.MigrationStatus;
import io.tdkvs.master.topology.control.Cluster;
import io.tdkvs.master.topology.control.TopologyException;
import io.tdkvs.master.topology.control.TopologyPlan;
import io.tdkvs.master.topology.control.TopologyPlanner;
import io.tdkvs.master.topology.entity.Topology;
import io.tdkvs.master.topology.entity.Volume;
import io.tdkvs.master.volumes.control.VolumeClient;
import io.tdkvs.runtime.Exit;

/**
 * The startup singleton: reads the config, reconciles the recorded topology with it, and runs the
 * migration the change needs before the master serves. In delete mode ({@code -delete=<index>})
 * it checks that every volume answers, drains the volume, prints a summary and ends the process.
 * A start that cannot go on ends the process with the reason (status 2 for a wrong config or
 * request, 1 for a failure such as a volume that does not answer).
 */
@ApplicationScoped
public class MasterStartup {

    private static final Logger LOG = Logger.getLogger(MasterStartup.class.getName());

    @Inject
    Instance<MasterConfig> configs;

    @Inject
    MasterSettings settings;

    @Inject
    TopologyStore topologies;

    @Inject
    Cluster cluster;

    @Inject
    VolumeClient volumes;

    @Inject
    Migrator migrator;

    @Inject
    ServingGate gate;

    void onStart(@Observes Startup startup) {
        try {
            MasterConfig config = configs.get();
            Optional<Integer> deleteIndex = settings.deleteIndex();
            TopologyPlan plan = TopologyPlanner.plan(topologies.load(), config, deleteIndex);
            if (deleteIndex.isPresent()) {
                startDelete(config, plan);
            } else {
                startServing(plan);
            }
        } catch (ConfigException | TopologyException | IllegalArgumentException e) {
            gate.close(() -> "the master could not start: " + e.getMessage());
            Exit.fail(LOG, Exit.USAGE, "the master cannot start: " + e.getMessage());
        } catch (RuntimeException e) {
            String reason = Exit.reason(e);
            gate.close(() -> "the master could not start: " + reason);
            Exit.fail(LOG, Exit.FAILED, "the master cannot start: " + reason);
        }
    }

    private void startServing(TopologyPlan plan) {
        plan.changes().forEach(LOG::info);
        Topology topology = plan.topology();
        topologies.save(topology);
        cluster.set(topology);
        if (topology.settled()) {
            serve(topology);
            return;
        }
        String description = describe(topology);
        gate.close(() -> "the master is not serving yet: " + progress(migrator.status()));
        migrator.start(description).thenAccept(status -> {
            if (!status.state().equals("done")) {
                // Every metakey still names the volume that holds its value, so serving is safe; the keys
                // left behind stay readable where they are, and the next start tries to move them again.
                LOG.severe(() -> description + " did not finish (" + status.message() + "); serving anyway, "
                        + "see GET /admin/migration; the next start resumes it");
            }
            serve(cluster.topology());
        });
    }

    private void startDelete(MasterConfig config, TopologyPlan plan) {
        if (plan.nothingToDelete().isPresent()) {
            LOG.info(() -> plan.nothingToDelete().get() + "; nothing to move. Remove it from volumes in "
                    + config.file() + " and start the master.");
            Exit.exitSoon(0);
            return;
        }
        Volume deleting = plan.deleting().orElseThrow();
        List<Volume> involved = plan.topology().volumes();
        for (Volume volume : involved) {
            try {
                volumes.ping(volume.url());
            } catch (StoreException e) {
                Exit.fail(LOG, Exit.FAILED, "cannot delete volume " + deleting + ": " + e.getMessage()
                        + ". Nothing was moved; start every volume and try again.");
                return;
            }
        }
        plan.changes().forEach(LOG::info);
        topologies.save(plan.topology());
        cluster.set(plan.topology());
        gate.close(() -> "the master is deleting volume " + deleting + " and serves no requests in this mode ("
                + progress(migrator.status()) + ")");
        migrator.start(describe(plan.topology())).thenAccept(status -> {
            if (status.state().equals("done")) {
                LOG.info(String.format("volume %s deleted: %d keys moved in %.1f s. Remove it from volumes in %s, "
                        + "then start the master.", deleting, status.moved(), status.seconds(), config.file()));
                Exit.exitSoon(0);
            } else {
                Exit.fail(LOG, Exit.FAILED, "deleting volume " + deleting + " failed: " + status.message()
                        + ". Run the same command again to resume.");
            }
        });
    }

    private void serve(Topology topology) {
        gate.open();
        LOG.info(() -> "the master serves, with volumes " + topology.active());
    }

    private static String describe(Topology topology) {
        List<Volume> draining = topology.draining();
        return draining.isEmpty() ? "rebalance onto " + topology.active() : "drain of " + draining;
    }

    private static String progress(MigrationStatus status) {
        return status.description() + " " + status.state() + ", " + status.moved() + " of " + status.total() + " keys moved";
    }
}
