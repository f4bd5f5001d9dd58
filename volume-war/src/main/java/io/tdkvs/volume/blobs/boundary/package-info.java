/** The volume's HTTP API, used by the master: see {@link io.tdkvs.protocol.VolumeApi}. */
package io.tdkvs.volume.blobs.boundary;
