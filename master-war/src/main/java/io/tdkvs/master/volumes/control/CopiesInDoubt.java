package io.tdkvs.master.volumes.control;

import io.tdkvs.config.VolumeUrl;

/**
 * A CDI event: the {@link VolumeMonitor} saw a volume answer again after it did not, or report more
 * damaged blobs than before; some of the copies the index says it holds may be missing or bad.
 */
public record CopiesInDoubt(VolumeUrl volume, String why) {
}
