package io.tdkvs.protocol;

import java.util.List;

/**
 * A volume's answer to {@code GET status}, as JSON: {@code {"path": ..., "usableBytes": ..., "blobs": ...,
 * "damagedBlobs": ..., "damaged": [...], "scrub": {"rate": ..., "passes": ..., "blobs": ..., "bytes": ...}}}.
 *
 * @param path         where it stores
 * @param usableBytes  what is still free for values there
 * @param blobs        the blob files it holds, or -1 while it is still counting them after a start
 * @param damagedBlobs blobs found damaged since the start (by reads and the scrub) and still there
 * @param damaged      the names of the first thousand of those, in order
 * @param scrub        what the scrub has done since the start
 */
public record VolumeStatus(String path, long usableBytes, long blobs, long damagedBlobs, List<String> damaged, Scrub scrub) {

    public VolumeStatus {
        damaged = damaged == null ? List.of() : List.copyOf(damaged);
    }

    /**
     * @param rate   bytes per second it re-reads and checks; 0 if it is off
     * @param passes whole passes over the blobs
     * @param blobs  blobs checked
     * @param bytes  bytes of values checked
     */
    public record Scrub(long rate, long passes, long blobs, long bytes) {
    }
}
