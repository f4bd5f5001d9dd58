package io.tdkvs.volume.blobs.entity;

/** What a volume knows of a stored blob: its name, the key it holds, the value's size and CRC32C. */
public record BlobInfo(BlobName name, byte[] key, long size, int crc32c) {
}
