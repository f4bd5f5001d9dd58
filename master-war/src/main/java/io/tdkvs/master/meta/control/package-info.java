/**
 * The master's durable state in Berkeley DB JE: the metakeys (key to volume, generation, size,
 * CRC32C) and the topology, each in its own database with one class owning its record format.
 * Every change is a transaction committed with fsync before it is acknowledged.
 */
package io.tdkvs.master.meta.control;
