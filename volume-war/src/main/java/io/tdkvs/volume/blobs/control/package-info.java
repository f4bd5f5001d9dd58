/**
 * The blob store: the files under the volume's path, atomic and durable writes (temp file, fsync,
 * rename, fsync of the directory; many at once through {@link io.tdkvs.volume.blobs.control.DiskSync}),
 * streamed reads, deletes, the listing, the exact count of blobs, and batches sent and taken in.
 */
package io.tdkvs.volume.blobs.control;
