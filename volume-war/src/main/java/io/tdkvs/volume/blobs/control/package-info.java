/**
 * The blob store: the file layout under the volume's path, atomic and durable writes
 * (temp file, fsync, rename, fsync of the directory), streamed reads, deletes and the listing.
 */
package io.tdkvs.volume.blobs.control;
