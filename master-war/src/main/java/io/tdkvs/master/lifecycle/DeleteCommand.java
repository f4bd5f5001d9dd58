package io.tdkvs.master.lifecycle;

import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.tdkvs.config.MasterConfig;
import io.tdkvs.master.errors.StoreException;
import io.tdkvs.master.migration.control.Migrator;
import io.tdkvs.master.migration.entity.MigrationState;
import io.tdkvs.master.migration.entity.MigrationStatus;
import io.tdkvs.master.topology.control.TopologyPlan;
import io.tdkvs.master.topology.entity.Volume;
import io.tdkvs.master.volumes.control.VolumeClient;
import io.tdkvs.runtime.Exit;

/**
 * {@code tdkvs master -delete=<index>}, the seed's way to delete a volume: checks that every volume
 * answers, drains the volume while the master serves, shows a progress bar on a terminal, prints a
 * summary and ends the process: 0 once the volume is empty, 1 if it could not be emptied.
 */
@ApplicationScoped
public class DeleteCommand {

    private static final Logger LOG = Logger.getLogger(DeleteCommand.class.getName());

    @Inject
    VolumeClient volumes;

    @Inject
    Migrator migrator;

    @Inject
    TopologyChanges changes;

    @Inject
    ServingGate gate;

    void run(MasterConfig config, TopologyPlan plan, boolean resumed) {
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
            if (status.state() == MigrationState.DONE) {
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
