package io.tdkvs.master.volumes.control;

import java.util.Set;

import io.tdkvs.config.VolumeUrl;

/** A CDI event: the {@link VolumeMonitor} has asked every volume of the cluster, these ones, how it is. */
public record VolumesChecked(Set<VolumeUrl> volumes) {
}
