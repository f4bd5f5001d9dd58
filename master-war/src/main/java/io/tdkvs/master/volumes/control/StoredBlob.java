package io.tdkvs.master.volumes.control;

/** What a volume confirmed it stored: the value's size and CRC32C. */
public record StoredBlob(long size, int crc32c) {
}
