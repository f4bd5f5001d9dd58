package io.tdkvs.protocol;

import java.util.Base64;
import java.util.HexFormat;

/**
 * The HTTP API of a volume, which the master uses:
 * <pre>
 * PUT    blobs/&lt;name&gt;   the value; {@value #KEY}: the key      201, {@value #SIZE} and {@value #CRC32C} of what it stored
 * GET    blobs/&lt;name&gt;   (a single Range: bytes=a-b allowed)     200 or 206, the value, {@value #CRC32C}; 404
 * HEAD   blobs/&lt;name&gt;                                        as GET, without the value
 * DELETE blobs/&lt;name&gt;                                        204; 404
 * GET    blobs                                              every blob, a {@link BlobInfo} line each
 * POST   blobs/export  a {@link NameList}                   the blobs as {@link BlobFrames}
 * POST   blobs/import  {@link BlobFrames}                      all stored durably, then an {@link Imported} line each
 * POST   blobs/delete  a {@link NameList}                   removes them; answers how many there were
 * POST   blobs/compose/&lt;name&gt;  a {@link PartList}; {@value #KEY}: the key
 *                      a blob of the values of blobs it holds, one after the other, each checked as it is read;
 *                      201, {@value #SIZE} and {@value #CRC32C}, as a PUT; 404 if it lacks a part
 * GET    status                                             {@link VolumeStatus}
 * </pre>
 * The master writes a value longer than one chunk (64 KiB) with a PUT, streamed; shorter ones go in
 * batches, as the blob files of an import. Names are {@link BlobName}s. Header values are ASCII: a key as base64url of its UTF-8 bytes, without
 * padding; a CRC32C as 8 lower-case hex digits.
 */
public final class VolumeApi {

    public static final String BLOBS = "blobs";
    public static final String EXPORT = "export";
    public static final String IMPORT = "import";
    public static final String DELETE = "delete";
    public static final String STATUS = "status";
    public static final String COMPOSE = "compose";

    /** The key a PUT stores, sent with it so that the volume keeps it with the value. */
    public static final String KEY = "Tdkvs-Key";
    /** The size of the value a PUT stored. */
    public static final String SIZE = "Tdkvs-Size";
    /** The CRC32C of the value stored or served. */
    public static final String CRC32C = "Tdkvs-Crc32c";

    private VolumeApi() {
    }

    public static String keyHeader(byte[] key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }

    /** @throws ProtocolException if the header is not base64url */
    public static byte[] keyFromHeader(String header) {
        try {
            return Base64.getUrlDecoder().decode(header);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("the " + KEY + " header is not base64url");
        }
    }

    public static String crc32cHeader(int crc32c) {
        return HexFormat.of().toHexDigits(crc32c);
    }

    /** @throws ProtocolException if the header is not 8 hex digits */
    public static int crc32cFromHeader(String header) {
        if (header == null || header.length() != 8) {
            throw new ProtocolException("the " + CRC32C + " header is not 8 hex digits: " + header);
        }
        try {
            return HexFormat.fromHexDigits(header);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("the " + CRC32C + " header is not 8 hex digits: " + header);
        }
    }
}
