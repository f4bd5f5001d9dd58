/**
 * The master's side of the volume API: streaming a value (or a range of it) to and from a volume and
 * checking the size and CRC32C it answers, batches of blobs, listings, and the
 * {@link io.tdkvs.master.volumes.control.VolumeMonitor} that asks every volume how it is.
 */
package io.tdkvs.master.volumes.control;
