package io.tdkvs.master.keys.entity;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import io.tdkvs.runtime.Sha256;

/**
 * A key: any non-empty string of at most {@value #MAX_BYTES} UTF-8 bytes. Its SHA-256 is computed
 * once: the first 8 bytes are the 64-bit hash that placement uses, the hex form names its blobs.
 */
public final class Key {

    public static final int MAX_BYTES = 8192;
    /**
     * Keys that begin with this (a NUL byte, then {@code tdkvs/}) are the store's own: the parts of S3
     * uploads not yet completed. Clients cannot write, read, delete or list them.
     */
    public static final String RESERVED_PREFIX = "\u0000tdkvs/";
    /** A key after every reserved one: their bytes after the prefix are ASCII, below this one's. */
    public static final String AFTER_RESERVED = RESERVED_PREFIX + "\uffff";

    private final String value;
    private final byte[] utf8;
    private final byte[] sha256;

    private Key(String value, byte[] utf8) {
        this.value = value;
        this.utf8 = utf8;
        this.sha256 = Sha256.of(utf8);
    }

    /** @throws InvalidKeyException when the key is empty or too long */
    public static Key of(String value) {
        byte[] utf8 = checkLength(value);
        if (utf8.length == 0) {
            throw new InvalidKeyException(InvalidKeyException.Problem.EMPTY, "the key is empty");
        }
        return new Key(value, utf8);
    }

    /**
     * The UTF-8 bytes of a key, or of a part of one.
     *
     * @throws InvalidKeyException when it is longer than a key may be
     */
    public static byte[] checkLength(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > MAX_BYTES) {
            throw new InvalidKeyException(InvalidKeyException.Problem.TOO_LONG,
                    "the key is " + utf8.length + " bytes long; the limit is " + MAX_BYTES + " bytes (UTF-8)");
        }
        return utf8;
    }

    /** A key read back from the index, where it was stored as UTF-8. */
    public static Key fromUtf8(byte[] utf8) {
        return new Key(new String(utf8, StandardCharsets.UTF_8), utf8.clone());
    }

    /**
     * Where the parts of multipart uploads under way are kept: {@code <prefix><upload id>/<part number>}.
     * An upload id of {@value #PLACED_UPLOAD_ID} hex digits begins with the 16 of its object's placement
     * hash, and its parts are placed as that object is: completing the upload then joins the parts on the
     * volumes that hold them.
     */
    public static final String UPLOAD_PARTS = RESERVED_PREFIX + "upload/";
    /** The length of an upload id that begins with its object's placement hash. */
    public static final int PLACED_UPLOAD_ID = 48;

    /** Whether this is the key of a part of a multipart upload ({@link #UPLOAD_PARTS}). */
    public boolean uploadPart() {
        return value.startsWith(UPLOAD_PARTS);
    }

    /** Whether this is one of the store's own keys ({@link #RESERVED_PREFIX}). */
    public boolean reserved() {
        return value.startsWith(RESERVED_PREFIX);
    }

    public String value() {
        return value;
    }

    public byte[] utf8() {
        return utf8.clone();
    }

    /**
     * The 64-bit hash that placement uses: the first 8 bytes of the SHA-256 of the key's UTF-8 bytes; for
     * a part of an upload whose id begins with its object's placement hash ({@link #UPLOAD_PARTS}), that one.
     */
    public long placementHash() {
        if (uploadPart() && value.length() > UPLOAD_PARTS.length() + PLACED_UPLOAD_ID
                && value.charAt(UPLOAD_PARTS.length() + PLACED_UPLOAD_ID) == '/') {
            String id = value.substring(UPLOAD_PARTS.length(), UPLOAD_PARTS.length() + PLACED_UPLOAD_ID);
            if (id.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return Long.parseUnsignedLong(id.substring(0, 16), 16);
            }
        }
        return ByteBuffer.wrap(sha256).getLong();
    }

    public String sha256Hex() {
        return HexFormat.of().formatHex(sha256);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Key key && key.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value.length() <= 100 ? value : value.substring(0, 100) + "...";
    }
}
