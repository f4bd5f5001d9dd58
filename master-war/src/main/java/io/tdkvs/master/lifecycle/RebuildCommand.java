package io.tdkvs.master.lifecycle;

import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.tdkvs.config.MasterConfig;
import io.tdkvs.master.errors.StoreException;
import io.tdkvs.master.meta.control.MetaStore;
import io.tdkvs.master.meta.control.TopologyStore;
import io.tdkvs.master.rebuild.control.IndexRebuild;
import io.tdkvs.master.topology.entity.Topology;
import io.tdkvs.master.topology.entity.Volume;
import io.tdkvs.master.volumes.control.VolumeClient;
import io.tdkvs.runtime.Exit;

/**
 * {@code tdkvs master -config=<file> -rebuild}: recreates a lost index (an empty data folder) from
 * the blobs on the config's volumes, prints a summary and ends the process, 0 when done. The volumes
 * become the cluster in the config's order; keys found off the volume that placement picks are moved
 * by the next start. It refuses an index that holds anything (status 2), and a volume that does not
 * answer (status 1, before writing anything); the master does not serve meanwhile.
 */
@ApplicationScoped
public class RebuildCommand {

    private static final Logger LOG = Logger.getLogger(RebuildCommand.class.getName());

    @Inject
    MetaStore metaKeys;

    @Inject
    TopologyStore topologies;

    @Inject
    VolumeClient volumes;

    @Inject
    IndexRebuild rebuild;

    @Inject
    ServingGate gate;

    void run(MasterConfig config) {
        gate.close(() -> "the master is rebuilding its index; start it without -rebuild when that is done");
        long keys = metaKeys.count();
        if (keys > 0 || topologies.load().isPresent()) {
            Exit.fail(LOG, Exit.USAGE, "cannot rebuild: the index under " + config.data() + " is not empty (" + keys
                    + " keys). -rebuild recreates a lost index; to replace this one, move " + config.data() + " away first.");
            return;
        }
        Topology topology = Topology.initial(config.volumes(), config.replicas());
        for (Volume volume : topology.active()) {
            try {
                volumes.ping(volume.url());
            } catch (StoreException e) {
                Exit.fail(LOG, Exit.FAILED, "cannot rebuild: " + e.getMessage() + ". Nothing was written; start every volume "
                        + "in " + config.file() + " and try again.");
                return;
            }
        }
        LOG.info(() -> "rebuilding the index from " + topology.active());
        try {
            IndexRebuild.Summary summary = rebuild.rebuild(topology);
            topologies.save(summary.misplaced() == 0 ? topology : topology.unsettled());
            System.out.println(summary.describe());
            LOG.info(summary.describe());
            Exit.exitSoon(0);
        } catch (RuntimeException e) {
            Exit.fail(LOG, Exit.FAILED, "rebuilding the index failed: " + Exit.reason(e) + ". Move " + config.data()
                    + " away and run the same command again.");
        }
    }
}
