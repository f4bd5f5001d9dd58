/**
 * Placement: which volume holds a key. {@link io.tdkvs.master.topology.entity.JumpHash} picks a
 * bucket, {@link io.tdkvs.master.topology.entity.Memento} redirects removed buckets, and
 * {@link io.tdkvs.master.topology.entity.Topology} maps buckets to volumes.
 */
package io.tdkvs.master.topology.entity;
