package io.tdkvs.protocol;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;

import io.tdkvs.runtime.Sha256;

/**
 * A blob's name, {@code <sha-256 of the key, 64 hex digits>.<generation, 16 hex digits>}. Every write of
 * a key gets a new generation from the master, so an overwrite never replaces the file the index points
 * at until the index has moved on. The name is all the file system ever sees of a key: no key can
 * escape a volume's folder, whatever it contains.
 */
public record BlobName(String value) {

    /** Every name has this many characters (ASCII). */
    public static final int LENGTH = 64 + 1 + 16;
    private static final int DOT = 64;

    public BlobName {
        if (!wellFormed(value)) {
            throw new IllegalArgumentException("not a blob name: " + value);
        }
    }

    public static Optional<BlobName> parse(String text) {
        try {
            return Optional.of(new BlobName(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** {@code [0-9a-f]{64}\.[0-9a-f]{16}}; checked by hand, a volume checks every name it lists and serves. */
    private static boolean wellFormed(String text) {
        if (text.length() != LENGTH || text.charAt(DOT) != '.') {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = text.charAt(i);
            if (i != DOT && (c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }

    /** The name of the blob of {@code key} (its UTF-8 bytes) written with {@code generation}. */
    public static BlobName of(byte[] key, long generation) {
        return of(HexFormat.of().formatHex(Sha256.of(key)), generation);
    }

    /** The same, for a key whose SHA-256 (hex) is known already. */
    public static BlobName of(String keySha256Hex, long generation) {
        return new BlobName(keySha256Hex + "." + HexFormat.of().toHexDigits(generation));
    }

    public boolean belongsTo(byte[] key) {
        return value.startsWith(HexFormat.of().formatHex(Sha256.of(key)));
    }

    public long generation() {
        return HexFormat.fromHexDigitsToLong(value, 65, LENGTH);
    }

    /** Where a volume files the blob below its blobs folder: two levels of 256 folders, then the name. */
    public Path relativePath() {
        return Path.of(value.substring(0, 2), value.substring(2, 4), value);
    }

    @Override
    public String toString() {
        return value;
    }
}
