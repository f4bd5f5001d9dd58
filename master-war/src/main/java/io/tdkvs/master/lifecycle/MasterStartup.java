package io.tdkvs.master.lifecycle;

import java.util.Optional;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import io.tdkvs.config.ConfigException;
import io.tdkvs.config.MasterConfig;
import io.tdkvs.master.meta.control.TopologyStore;
import io.tdkvs.master.migration.entity.MigrationState;
import io.tdkvs.master.topology.control.TopologyException;
import io.tdkvs.master.topology.control.TopologyPlan;
import io.tdkvs.master.topology.control.TopologyPlanner;
import io.tdkvs.master.topology.entity.Topology;
import io.tdkvs.master.volumes.control.VolumeMonitor;
import io.tdkvs.runtime.Exit;
import io.tdkvs.runtime.ResponseStreams;

/**
 * The startup singleton: reads the config, reconciles the recorded topology with it, starts the
 * migration the change needs (or resumes one a stop cut short) and serves meanwhile; or, asked to
 * delete a volume ({@code -delete=<index>}), hands over to the {@link DeleteCommand}, or asked to
 * rebuild a lost index ({@code -rebuild}), to the {@link RebuildCommand}.
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
    TopologyChanges changes;

    @Inject
    DeleteCommand deleteCommand;

    @Inject
    RebuildCommand rebuildCommand;

    @Inject
    VolumeMonitor monitor;

    @Inject
    ServingGate gate;

    void onStart(@Observes Startup startup) {
        ResponseStreams.quietClosedConnections();
        try {
            MasterConfig config = configs.get();
            if (settings.rebuild()) {
                rebuildCommand.run(config);
                return;
            }
            Optional<Integer> deleteIndex = settings.deleteIndex();
            Optional<Topology> recorded = topologies.load();
            TopologyPlan plan = TopologyPlanner.plan(recorded, config, deleteIndex);
            boolean resumed = recorded.filter(topology -> !topology.settled()).isPresent();
            if (deleteIndex.isPresent()) {
                deleteCommand.run(config, plan, resumed);
            } else {
                serve(plan, resumed);
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
    private void serve(TopologyPlan plan, boolean resumed) {
        plan.changes().forEach(LOG::info);
        changes.apply(plan.topology(), resumed).thenAccept(status -> {
            if (status.state() == MigrationState.FAILED) {
                // Every metakey still names the volume that holds its value: the keys left behind stay
                // readable where they are, and the next start tries to move them again.
                LOG.severe(() -> status.description() + " did not finish (" + status.message() + "); "
                        + "see GET /admin/migration; the next start resumes it");
            }
        });
        monitor.start();
        gate.open();
        LOG.info(() -> "the master serves, with volumes " + plan.topology().active());
    }
}
