package io.tdkvs.volume.blobs.entity;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

import io.tdkvs.runtime.Sha256;

/**
 * A blob's name, {@code <sha-256 of the key, hex>.<generation, 16 hex digits>}. Every write of a key
 * gets a new generation from the master, so an overwrite never replaces the file the index points at
 * until the index has moved on. The name is all the file system ever sees of a key: no key can escape
 * the store's directory, whatever it contains.
 */
public record BlobName(String value) {

    private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{64}\\.[0-9a-f]{16}");

    public BlobName {
        if (!FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("not a blob name: " + value);
        }
    }

    public static Optional<BlobName> parse(String text) {
        return FORMAT.matcher(text).matches() ? Optional.of(new BlobName(text)) : Optional.empty();
    }

    public static BlobName of(byte[] key, long generation) {
        return new BlobName(sha256Hex(key) + "." + HexFormat.of().toHexDigits(generation));
    }

    public boolean belongsTo(byte[] key) {
        return value.startsWith(sha256Hex(key));
    }

    /** Where the blob lives below the store's root: two levels of 256 directories. */
    public Path relativePath() {
        return Path.of(value.substring(0, 2), value.substring(2, 4), value);
    }

    private static String sha256Hex(byte[] key) {
        return HexFormat.of().formatHex(Sha256.of(key));
    }

    @Override
    public String toString() {
        return value;
    }
}
