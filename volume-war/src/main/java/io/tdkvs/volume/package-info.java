/**
 * The volume server: stores values as files under its configured path and serves them to the master.
 * It knows nothing of placement. {@code blobs} holds the storage, {@code lifecycle} the start-up and
 * health, {@code errors} the mapping of failures to HTTP.
 */
package io.tdkvs.volume;
