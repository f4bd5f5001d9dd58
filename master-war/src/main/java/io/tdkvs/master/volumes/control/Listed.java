package io.tdkvs.master.volumes.control;

import java.util.Base64;

import io.tdkvs.master.errors.Reason;
import io.tdkvs.master.errors.StoreException;
import io.tdkvs.master.keys.entity.Key;

/** One blob in a volume's listing: its name, the key it holds and its generation. */
public record Listed(String blobName, Key key, long generation) {

    /** Parses a line of {@code GET /blobs}: {@code <name> <size> <crc32c> <key, base64url>}. */
    static Listed parse(String line) {
        String[] fields = line.split(" ");
        try {
            if (fields.length == 4) {
                String name = fields[0];
                long generation = Long.parseUnsignedLong(name.substring(name.indexOf('.') + 1), 16);
                return new Listed(name, Key.fromUtf8(Base64.getUrlDecoder().decode(fields[3])), generation);
            }
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            // reported below
        }
        throw new StoreException(Reason.VOLUME_FAILED, "a volume listed a blob as \"" + line + "\"");
    }
}
