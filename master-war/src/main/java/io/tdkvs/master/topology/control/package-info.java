/**
 * Deciding the topology at start: the recorded one, reconciled with the config file and an
 * optional delete request ({@link io.tdkvs.master.topology.control.TopologyPlanner}).
 */
package io.tdkvs.master.topology.control;
