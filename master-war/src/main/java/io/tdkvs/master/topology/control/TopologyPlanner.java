package io.tdkvs.master.topology.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.tdkvs.config.MasterConfig;
import io.tdkvs.config.VolumeUrl;
import io.tdkvs.master.topology.entity.Topology;
import io.tdkvs.master.topology.entity.Volume;

/**
 * Reconciles the recorded topology with the config file. Volumes are matched by URL, so the order
 * of the list does not matter. A listed volume that is not recorded is added; a recorded volume
 * that is not listed stops the start, unless it is being drained, because dropping it would lose
 * its keys; a deleted volume that is still listed stops it too, so it is not silently added back.
 */
public final class TopologyPlanner {

    private TopologyPlanner() {
    }

    public static TopologyPlan plan(Optional<Topology> recorded, MasterConfig config, Optional<Integer> deleteIndex) {
        Optional<VolumeUrl> deleting = deleteIndex.map(index -> {
            try {
                return config.volumeToDelete(index);
            } catch (IllegalArgumentException e) {
                throw new TopologyException(e.getMessage());
            }
        });
        Topology topology = recorded.orElseGet(() -> Topology.initial(config.volumes().stream()
                .filter(url -> deleting.filter(url::equals).isEmpty()).toList(), config.replicas()));
        List<String> changes = new ArrayList<>();
        if (recorded.isEmpty()) {
            changes.add("new cluster with volumes " + topology.volumes());
        }
        checkRecordedVolumesListed(topology, config);
        if (deleting.isEmpty()) {
            checkRetiredNotListed(topology, config);
            topology = topology.withRetiredForgotten();
        }
        for (VolumeUrl url : config.volumes()) {
            if (topology.volume(url).isEmpty() && !topology.retired().contains(url) && deleting.filter(url::equals).isEmpty()) {
                topology = topology.withAdded(url);
                changes.add("adding volume " + url);
            }
        }
        if (topology.replicas() != config.replicas()) {
            changes.add("keeping " + config.replicas() + " copies of each value (was " + topology.replicas() + ")");
            topology = topology.withReplicas(config.replicas());
        }
        TopologyPlan plan = deleting.isEmpty()
                ? new TopologyPlan(topology, changes, Optional.empty(), Optional.empty())
                : planDelete(topology, changes, deleteIndex.orElseThrow(), deleting.get());
        int active = plan.topology().active().size();
        if (active < config.replicas()) {
            throw new TopologyException("replicas: " + config.replicas() + " in " + config.file() + " needs as many volumes, "
                    + "and " + active + " would be left" + (deleting.isPresent() ? " after the delete; lower replicas first" : ""));
        }
        return plan;
    }

    private static TopologyPlan planDelete(Topology topology, List<String> changes, int index, VolumeUrl url) {
        String which = "volume " + index + " (" + url + ")";
        if (topology.retired().contains(url)) {
            return new TopologyPlan(topology, changes, Optional.empty(),
                    Optional.of(which + " is already deleted and holds no keys"));
        }
        Optional<Volume> volume = topology.volume(url);
        if (volume.isEmpty()) {
            return new TopologyPlan(topology, changes, Optional.empty(),
                    Optional.of(which + " never joined the cluster and holds no keys"));
        }
        if (volume.get().active()) {
            if (topology.active().size() == 1) {
                throw new TopologyException("cannot delete " + which + ": it is the last active volume");
            }
            topology = topology.withDraining(volume.get().id());
            changes.add("deleting " + which);
        } else {
            changes.add("resuming the deletion of " + which);
        }
        return new TopologyPlan(topology, changes, topology.volume(url), Optional.empty());
    }

    private static void checkRecordedVolumesListed(Topology topology, MasterConfig config) {
        for (Volume volume : topology.active()) {
            if (!config.volumes().contains(volume.url())) {
                throw new TopologyException("volume " + volume.url() + " holds keys of this cluster but is missing from "
                        + "volumes in " + config.file() + ". Put it back in the list; to take a volume out of the cluster, "
                        + "delete it first with `tdkvs master -config=" + config.file() + " -delete=<its index>`, "
                        + "then remove it from the list");
            }
        }
    }

    private static void checkRetiredNotListed(Topology topology, MasterConfig config) {
        for (VolumeUrl url : config.volumes()) {
            if (topology.retired().contains(url)) {
                throw new TopologyException("volume " + url + " was deleted from the cluster but is still listed in "
                        + config.file() + ". Remove it from volumes and start again (to use it again later, start once "
                        + "without it, then add it back)");
            }
        }
    }
}
