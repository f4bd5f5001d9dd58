package io.tdkvs.master.volumes.control;

import java.util.Optional;

import io.tdkvs.master.errors.Reason;
import io.tdkvs.master.errors.StoreException;

/**
 * What a volume did with one blob of a batch it took in: stored it, with the value's size and
 * CRC32C, or found it absent at the sender.
 */
public record Imported(String blobName, Optional<StoredBlob> stored) {

    /** Parses an answer line of {@code POST /blobs/import}: {@code <name> <size> <crc32c>} or {@code <name> absent}. */
    static Imported parse(String line) {
        String[] fields = line.split(" ");
        try {
            if (fields.length == 2 && fields[1].equals("absent")) {
                return new Imported(fields[0], Optional.empty());
            }
            if (fields.length == 3) {
                return new Imported(fields[0], Optional.of(new StoredBlob(Long.parseLong(fields[1]),
                        (int) Long.parseLong(fields[2], 16))));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new StoreException(Reason.VOLUME_FAILED, "a volume answered an import with \"" + line + "\"");
    }
}
