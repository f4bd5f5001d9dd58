package io.tdkvs.master.volumes.control;

import io.tdkvs.protocol.BlobName;

/** A copy of a value small enough to be held in memory on its way to a volume (see {@link WriteBatches}). */
record SmallCopy(BlobName name, byte[] key, byte[] value, int crc32c) {
}
