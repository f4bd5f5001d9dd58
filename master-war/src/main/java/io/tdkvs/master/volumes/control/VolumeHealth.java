package io.tdkvs.master.volumes.control;

import java.time.Instant;

import io.tdkvs.protocol.VolumeStatus;

/**
 * What the master last learnt of a volume by asking for its status.
 *
 * @param up          whether it answered
 * @param blobs       the blob files it holds (-1: unknown, or still counting)
 * @param usableBytes room left for values (-1: unknown)
 * @param damaged     blobs it found damaged (by reads and its scrub) and still holds (-1: unknown)
 * @param checked     when it was asked
 * @param problem     why it is not up, or null
 * @param scrub       what its scrub has done since it started; null while unknown
 */
public record VolumeHealth(boolean up, long blobs, long usableBytes, long damaged, Instant checked, String problem,
                           VolumeStatus.Scrub scrub) {

    /** A volume found down now, for this reason: nothing known of its blobs, room or scrub. */
    public static VolumeHealth down(String problem) {
        return new VolumeHealth(false, -1, -1, -1, Instant.now(), problem, null);
    }
}
