package io.tdkvs.master.topology.control;

import java.util.List;
import java.util.Optional;

import io.tdkvs.master.topology.entity.Topology;
import io.tdkvs.master.topology.entity.Volume;

/**
 * The topology to run with, what changed to get there (for the log), and, for a delete request,
 * the volume being deleted, or why there is nothing to delete.
 */
public record TopologyPlan(Topology topology, List<String> changes, Optional<Volume> deleting, Optional<String> nothingToDelete) {

    public TopologyPlan {
        changes = List.copyOf(changes);
    }
}
