/**
 * Start-up of the master: its configuration, the topology reconciled with the config file, the
 * migration it may need, the {@code -delete} command, changes of the topology, and the gate that keeps
 * clients out until the master can serve them.
 */
package io.tdkvs.master.lifecycle;
