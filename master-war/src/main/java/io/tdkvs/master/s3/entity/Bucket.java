package io.tdkvs.master.s3.entity;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * An S3 bucket: a name, under which its objects are the keys {@code <name>/<object key>} of the index,
 * and when it was created. Names follow S3's rules for new buckets: 3 to 63 lower-case letters, digits,
 * dots and hyphens, starting and ending with a letter or digit, no two dots in a row, not an IPv4
 * address, and no prefix or suffix S3 reserves.
 */
public record Bucket(String name, Instant created) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    public Bucket {
        check(name);
    }

    /** @throws S3Exception InvalidBucketName, saying why, if {@code name} is not a bucket name */
    public static String check(String name) {
        String why = null;
        if (!NAME.matcher(name).matches()) {
            why = "must be 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit";
        } else if (name.contains("..")) {
            why = "must not have two dots in a row";
        } else if (IPV4.matcher(name).matches()) {
            why = "must not be an IP address";
        } else if (name.startsWith("xn--") || name.startsWith("sthree-") || name.endsWith("-s3alias") || name.endsWith("--ol-s3")) {
            why = "must not begin or end with a prefix or suffix S3 reserves";
        }
        if (why != null) {
            throw new S3Exception(S3Error.INVALID_BUCKET_NAME, "the bucket name \"" + name + "\" " + why, "/" + name);
        }
        return name;
    }

    /** The prefix of the index keys of its objects. */
    public String keyPrefix() {
        return name + "/";
    }
}
