package io.tdkvs.volume.errors;

/** Every way a volume request can fail; {@link VolumeExceptionMapper} decides what each answers. */
public enum Reason {
    /** a blob name that is not one */
    INVALID_NAME,
    /** the key a write carries is missing or not readable */
    INVALID_KEY,
    /** a blob filed under the name of another key */
    KEY_MISMATCH,
    /** a body that does not follow the volume protocol, or a blob file that is not whole */
    MALFORMED_BODY,
    /** the body ended before it was whole */
    BODY_BROKE_OFF,
    NO_SUCH_BLOB,
    /** a range that starts beyond the value */
    RANGE_OUTSIDE_VALUE,
    /** a stored blob whose file is not whole, or whose value does not match its CRC32C */
    CORRUPT_BLOB,
    DISK_FULL,
    DISK_FAILED
}
