/**
 * The store's figures in {@code GET /metrics}: client requests by operation and status, value bytes,
 * keys, each volume's availability and blobs, migration progress.
 */
package io.tdkvs.master.metrics;
