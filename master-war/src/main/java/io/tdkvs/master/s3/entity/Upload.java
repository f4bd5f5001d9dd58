package io.tdkvs.master.s3.entity;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A multipart upload begun and not yet completed or aborted: its id, the object it will make (bucket
 * and key), when it began, and the content type and user metadata the object will have. Its parts are
 * values of the index under {@link #partPrefix()}, so copies, migrations, verify and scrub keep them as
 * they keep any value.
 */
public record Upload(String id, String bucket, String key, Instant started, String contentType, Map<String, String> metadata) {

    /**
     * 16 hex digits of the object's placement hash, then 32 random ones; uploads begun before parts were
     * placed with their object have only the 32.
     */
    private static final Pattern ID = Pattern.compile("([0-9a-f]{16})?[0-9a-f]{32}");
    public static final int MAX_PARTS = 10_000;

    public Upload {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not an upload id: " + id);
        }
        metadata = Collections.unmodifiableSortedMap(new TreeMap<>(metadata));
    }

    public static boolean validId(String id) {
        return ID.matcher(id).matches();
    }

    /** The index keys of the parts begin with this. */
    public String partPrefix() {
        return io.tdkvs.master.keys.entity.Key.UPLOAD_PARTS + id + "/";
    }

    /** The index key of part {@code number} (1 to 10,000): zero-padded, so parts sort by number. */
    public String partKey(int number) {
        return partPrefix() + String.format("%05d", number);
    }
}
