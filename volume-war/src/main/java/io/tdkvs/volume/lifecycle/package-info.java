/** Start-up of the volume: its configuration, the store opened before it serves, readiness. */
package io.tdkvs.volume.lifecycle;
