package io.tdkvs.master.keys.control;

import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.tdkvs.master.keys.entity.Key;
import io.tdkvs.master.keys.entity.MetaKey;
import io.tdkvs.master.topology.control.Cluster;
import io.tdkvs.master.topology.entity.Volume;
import io.tdkvs.master.volumes.control.VolumeClient;
import io.tdkvs.protocol.BlobName;

/**
 * Removes blobs that no metakey points at any more, after the answer has gone out. A removal that
 * fails leaves an orphan file, which costs space but never a value; it is logged.
 */
@ApplicationScoped
public class Janitor {

    private static final Logger LOG = Logger.getLogger(Janitor.class.getName());

    @Resource
    ManagedExecutorService executor;

    @Inject
    VolumeClient volumes;

    @Inject
    Cluster cluster;

    public void removeLater(Key key, MetaKey superseded) {
        try {
            executor.execute(() -> remove(key, superseded));
        } catch (RejectedExecutionException e) {
            remove(key, superseded);
        }
    }

    private void remove(Key key, MetaKey superseded) {
        BlobName blob = superseded.blobName(key);
        try {
            Volume holder = cluster.holder(superseded);
            volumes.delete(holder.url(), blob);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not remove the superseded blob " + blob + " (key " + key + "), left as an orphan: "
                    + e.getMessage());
        }
    }
}
