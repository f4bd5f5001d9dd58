package io.tdkvs.master.topology.control;

import jakarta.enterprise.context.ApplicationScoped;

import io.tdkvs.master.errors.Reason;
import io.tdkvs.master.errors.StoreException;
import io.tdkvs.master.keys.entity.MetaKey;
import io.tdkvs.master.topology.entity.Topology;
import io.tdkvs.master.topology.entity.Volume;

/** The topology the master works with now; replaced whole when it changes. */
@ApplicationScoped
public class Cluster {

    private volatile Topology topology;

    public Topology topology() {
        Topology current = topology;
        if (current == null) {
            throw new StoreException(Reason.NOT_SERVING, "the master is starting");
        }
        return current;
    }

    public void set(Topology next) {
        topology = next;
    }

    /** The volume that holds a metakey's value. */
    public Volume holder(MetaKey meta) {
        return topology().volume(meta.volumeId()).orElseThrow(() -> new StoreException(Reason.VOLUME_FAILED,
                "the index names volume #" + meta.volumeId() + ", which is not part of the cluster"));
    }
}
