package io.tdkvs.master.s3.control;

import java.util.List;
import java.util.Optional;

import io.tdkvs.master.keys.entity.MetaKey;
import io.tdkvs.master.s3.entity.S3Error;
import io.tdkvs.master.s3.entity.S3Exception;
import io.tdkvs.protocol.ByteRange;

/**
 * The bytes a GetObject or HeadObject with {@code partNumber} reads: the part of that number of an object
 * uploaded in parts, as it was uploaded; of an object stored in one request, part 1 is the whole of it.
 */
public final class ObjectParts {

    private ObjectParts() {
    }

    /**
     * The range of part {@code number} of the value {@code meta} indexes (part 1 of an object stored in one
     * request: all of it); empty for part 1 of an empty object, which has no range.
     *
     * @throws S3Exception {@code InvalidPartNumber} for a part the object does not have, {@code NotImplemented}
     *                     for an object completed before the sizes of its parts were kept
     */
    public static Optional<ByteRange> range(MetaKey meta, int number, String resource) {
        int parts = meta.attributes().parts();
        if (number > Math.max(1, parts)) {
            throw new S3Exception(S3Error.INVALID_PART_NUMBER, "the object has " + Math.max(1, parts) + " part"
                    + (parts > 1 ? "s" : "") + ", not a part " + number, resource);
        }
        if (parts == 0) {
            return meta.size() == 0 ? Optional.empty() : Optional.of(new ByteRange(0, meta.size() - 1));
        }
        List<Long> sizes = meta.attributes().partSizes();
        if (sizes.isEmpty()) {
            throw new S3Exception(S3Error.NOT_IMPLEMENTED, "the sizes of this object's parts were not kept (it was "
                    + "completed by an earlier version of tdkvs): read it by Range instead", resource);
        }
        long first = 0;
        for (int i = 0; i < number - 1; i++) {
            first += sizes.get(i);
        }
        long size = sizes.get(number - 1);
        if (size == 0) {
            throw new S3Exception(S3Error.INVALID_PART_NUMBER, "part " + number + " of the object is empty", resource);
        }
        return Optional.of(new ByteRange(first, first + size - 1));
    }
}
