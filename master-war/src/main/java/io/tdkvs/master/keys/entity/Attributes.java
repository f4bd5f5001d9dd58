package io.tdkvs.master.keys.entity;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What the index keeps of a value beside where its copies are: when it was written (milliseconds since
 * the epoch), the MD5 of its bytes in hex (S3's ETag of a value stored in one request), into how many
 * parts it was uploaded (0: in one request), its content type (empty: none given) and its user metadata
 * (S3's {@code x-amz-meta-*}, names in lower case; a name that begins with {@code :} is one of the standard
 * headers an S3 write set, such as {@code :cache-control}) and, for a value uploaded in parts, the size of
 * each part in order (empty when not kept: a value completed before they were). Values indexed before
 * these were kept have {@link #NONE}: no time, no MD5.
 */
public record Attributes(long modified, String md5, int parts, String contentType, Map<String, String> metadata,
                         List<Long> partSizes) {

    private static final Pattern MD5 = Pattern.compile("|[0-9a-f]{32}");
    public static final Attributes NONE = new Attributes(0, "", 0, "", Map.of());

    public Attributes {
        if (!MD5.matcher(md5).matches()) {
            throw new IllegalArgumentException("not an MD5 in hex: " + md5);
        }
        if (parts < 0 || parts > 0xffff) {
            throw new IllegalArgumentException("parts out of range: " + parts);
        }
        metadata = Collections.unmodifiableSortedMap(new TreeMap<>(metadata)); // in name order, as the index writes it
        partSizes = List.copyOf(partSizes);
        if (!partSizes.isEmpty() && partSizes.size() != parts) {
            throw new IllegalArgumentException(partSizes.size() + " part sizes for " + parts + " parts");
        }
        if (partSizes.stream().anyMatch(size -> size < 0)) {
            throw new IllegalArgumentException("a negative part size: " + partSizes);
        }
    }

    /** Attributes with no part sizes kept. */
    public Attributes(long modified, String md5, int parts, String contentType, Map<String, String> metadata) {
        this(modified, md5, parts, contentType, metadata, List.of());
    }

    /** A value written now in one request, with the MD5 of its bytes. */
    public static Attributes written(long modified, String md5, String contentType, Map<String, String> metadata) {
        return new Attributes(modified, md5, 0, contentType, metadata);
    }

    public boolean hasMd5() {
        return !md5.isEmpty();
    }

    /** S3's ETag without its quotes: the MD5, followed by {@code -<parts>} for a value uploaded in parts; empty without an MD5. */
    public String etag() {
        return !hasMd5() ? "" : parts > 0 ? md5 + "-" + parts : md5;
    }
}
