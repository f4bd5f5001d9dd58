/**
 * The volume's HTTP API, used by the master:
 * {@code PUT|GET|HEAD|DELETE /blobs/<name>} for one blob, {@code GET /blobs} for the listing and
 * {@code GET /status}.
 */
package io.tdkvs.volume.blobs.boundary;
