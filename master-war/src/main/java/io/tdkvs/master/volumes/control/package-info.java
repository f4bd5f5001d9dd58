/**
 * The master's side of the volume API: streaming a value to a volume and checking the size and
 * CRC32C it answers, streaming one back, deleting, and asking whether a volume answers at all.
 */
package io.tdkvs.master.volumes.control;
