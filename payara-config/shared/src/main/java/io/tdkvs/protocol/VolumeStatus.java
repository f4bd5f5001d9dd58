package io.tdkvs.protocol;

/**
 * A volume's answer to {@code GET status}, as JSON: {@code {"path": ..., "usableBytes": ..., "blobs": ...}}.
 *
 * @param path        where it stores
 * @param usableBytes what is still free for values there
 * @param blobs       the blob files it holds, or -1 while it is still counting them after a start
 */
public record VolumeStatus(String path, long usableBytes, long blobs) {
}
