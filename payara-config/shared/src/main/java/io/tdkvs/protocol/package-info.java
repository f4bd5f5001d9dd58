/**
 * The protocol between the master and the volumes, and the blob file they both describe: every name,
 * header, line and frame is written and read here, by both sides and by the tests
 * ({@link io.tdkvs.protocol.VolumeApi} lists the calls).
 */
package io.tdkvs.protocol;
