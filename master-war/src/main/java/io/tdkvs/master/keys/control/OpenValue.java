package io.tdkvs.master.keys.control;

import java.util.Optional;

import io.tdkvs.master.volumes.control.BlobStream;
import io.tdkvs.protocol.ByteRange;

import io.tdkvs.master.keys.entity.MetaKey;

/**
 * A value being read: the stream of its bytes (all of them, or the range asked for), its size, and the
 * metakey it was read by. The caller streams and closes it.
 */
public record OpenValue(BlobStream stream, long size, Optional<ByteRange> range, MetaKey meta) {
}
