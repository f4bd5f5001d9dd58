package io.tdkvs.master.lifecycle;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
import io.tdkvs.master.topology.control.TopologyException;
import io.tdkvs.master.topology.control.TopologyPlan;
import io.tdkvs.master.topology.control.TopologyPlanner;
import io.tdkvs.master.topology.entity.Topology;
import io.tdkvs.master.topology.entity.Volume;
import io.tdkvs.master.volumes.control.VolumeClient;
import io.tdkvs.runtime.Exit;

/**
 * The startup singleton: reads the config, reconciles the recorded topology with it, starts the
 * migration the change needs (or resumes one a stop cut short) and serves meanwhile. In delete
 * mode ({@code -delete=<index>}) it checks that every volume answers, drains the volume while it
 * serves, shows a progress bar on a terminal, prints a summary and ends the process.
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
    VolumeClient volumes;

    @Inject
    Migrator migrator;

    @Inject
    TopologyChanges changes;

    @Inject
    ServingGate gate;

    void onStart(@Observes Startup startup) {
        try {
            MasterConfig config = configs.get();
            Optional<Integer> deleteIndex = settings.deleteIndex();
            Optional<Topology> recorded = topologies.load();
            TopologyPlan plan = TopologyPlanner.plan(recorded, config, deleteIndex);
            boolean resumed = recorded.filter(topology -> !topology.settled()).isPresent();
            if (deleteIndex.isPresent()) {
                startDelete(config, plan, resumed);
            } else {
                startServing(plan, resumed);
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

    /** Serves at once; a migration the change needs (or one cut short) runs meanwhile. */
    private void startServing(TopologyPlan plan, boolean resumed) {
        plan.changes().forEach(LOG::info);
        changes.apply(plan.topology(), resumed).thenAccept(status -> {
            if (status.state().equals("failed")) {
                // Every metakey still names the volume that holds its value: the keys left behind stay
                // readable where they are, and the next start tries to move them again.
                LOG.severe(() -> status.description() + " did not finish (" + status.message() + "); "
                        + "see GET /admin/migration; the next start resumes it");
            }
        });
        gate.open();
        LOG.info(() -> "the master serves, with volumes " + plan.topology().active());
    }

    /** Drains a volume while serving, then ends the process: 0 once the volume is empty, 1 if not. */
    private void startDelete(MasterConfig config, TopologyPlan plan, boolean resumed) {
        if (plan.nothingToDelete().isPresent()) {
            LOG.info(() -> plan.nothingToDelete().get() + "; nothing to move. Remove it from volumes in "
                    + config.file() + " and start the master.");
            Exit.exitSoon(0);
            return;
        }
        Volume deleting = plan.deleting().orElseThrow();
        for (Volume volume : plan.topology().volumes()) {
            try {
                volumes.ping(volume.url());
            } catch (StoreException e) {
                Exit.fail(LOG, Exit.FAILED, "cannot delete volume " + deleting + ": " + e.getMessage()
                        + ". Nothing was moved; start every volume and try again.");
                return;
            }
        }
        plan.changes().forEach(LOG::info);
        CompletableFuture<MigrationStatus> done = changes.apply(plan.topology(), resumed);
        ConsoleProgress bar = ConsoleProgress.start(migrator::status);
        gate.open();
        done.thenAccept(status -> {
            bar.stop();
            if (status.state().equals("done")) {
                String summary = String.format("volume %s deleted: %d keys moved in %.1f s (%.0f keys/s). Remove it "
                        + "from volumes in %s, then start the master.", deleting, status.moved(), status.seconds(),
                        status.keysPerSecond(), config.file());
                bar.println(summary);
                LOG.info(summary);
                Exit.exitSoon(0);
            } else {
                bar.println("deleting volume " + deleting + " failed: " + status.message());
                Exit.fail(LOG, Exit.FAILED, "deleting volume " + deleting + " failed: " + status.message()
                        + ". Run the same command again to resume.");
            }
        });
    }
}
