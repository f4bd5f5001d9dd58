package io.tdkvs.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The master's S3 endpoint, from its config file:
 * <pre>
 * s3Port: 3900               # optional: serve the Amazon S3 API on this port (absent: no S3)
 * s3Region: us-east-1        # optional: the region clients sign for (default us-east-1)
 * s3Keys:                    # required with s3Port: the credentials S3 clients sign with
 *   - accessKey: TDKVSEXAMPLEKEY1
 *     secretKey: &lt;secret&gt;
 * s3UploadExpiryHours: 24    # optional: multipart uploads not completed are removed after this (1-8760)
 * </pre>
 *
 * @param port   the port S3 is served on
 * @param region the region of the signatures accepted
 * @param keys   the access keys and their secrets
 * @param uploadExpiry how long a multipart upload may stay incomplete before its parts are removed
 */
public record S3Config(int port, String region, List<Credential> keys, java.time.Duration uploadExpiry) {

    public static final String DEFAULT_REGION = "us-east-1";
    public static final int MIN_SECRET_LENGTH = 16;
    public static final int DEFAULT_UPLOAD_EXPIRY_HOURS = 24;
    static final Set<String> KEY_FIELDS = Set.of("accessKey", "secretKey");
    private static final Pattern ACCESS_KEY = Pattern.compile("[A-Za-z0-9]{3,128}");
    private static final Pattern REGION = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    public S3Config {
        keys = List.copyOf(keys);
    }

    /** An access key and the secret its requests are signed with. */
    public record Credential(String accessKey, String secretKey) {

        @Override
        public String toString() {
            return accessKey; // the secret stays out of logs
        }
    }

    /** The secret of {@code accessKey}, if it is one of the keys. */
    public Optional<String> secret(String accessKey) {
        return keys.stream().filter(key -> key.accessKey().equals(accessKey)).map(Credential::secretKey).findFirst();
    }

    static Optional<S3Config> read(YamlFile yaml, int httpPort) {
        Optional<Integer> port = yaml.has("s3Port") ? Optional.of(yaml.port("s3Port")) : Optional.empty();
        if (port.isEmpty()) {
            for (String field : List.of("s3Region", "s3Keys", "s3UploadExpiryHours")) {
                if (yaml.has(field)) {
                    throw yaml.invalid(field, "is set, but s3Port is not: the S3 endpoint is off without a port");
                }
            }
            return Optional.empty();
        }
        if (port.get() == httpPort) {
            throw yaml.invalid("s3Port", port.get() + " is the master's port too; S3 needs a port of its own");
        }
        String region = yaml.string("s3Region").orElse(DEFAULT_REGION);
        if (!REGION.matcher(region).matches()) {
            throw yaml.invalid("s3Region", "\"" + region + "\" is not a region name (lower-case letters, digits and '-')");
        }
        if (!yaml.has("s3Keys")) {
            throw yaml.invalid("s3Keys", "is required with s3Port: S3 clients sign their requests with one of these keys");
        }
        List<YamlFile> listed = yaml.sections("s3Keys", KEY_FIELDS);
        if (listed.isEmpty()) {
            throw yaml.invalid("s3Keys", "lists no key; at least one is needed");
        }
        List<Credential> keys = new ArrayList<>();
        for (YamlFile key : listed) {
            String accessKey = key.string("accessKey").orElseThrow(() -> key.missing("accessKey"));
            if (!ACCESS_KEY.matcher(accessKey).matches()) {
                throw key.invalid("accessKey", "\"" + accessKey + "\" is not an access key (3 to 128 letters and digits)");
            }
            if (keys.stream().anyMatch(known -> known.accessKey().equals(accessKey))) {
                throw key.invalid("accessKey", accessKey + " is listed twice");
            }
            String secretKey = key.secret("secretKey", MIN_SECRET_LENGTH).orElseThrow(() -> key.missing("secretKey"));
            keys.add(new Credential(accessKey, secretKey));
        }
        int hours = yaml.integer("s3UploadExpiryHours").orElse(DEFAULT_UPLOAD_EXPIRY_HOURS);
        if (hours < 1 || hours > 8760) {
            throw yaml.invalid("s3UploadExpiryHours", hours + " is out of range (1-8760)");
        }
        return Optional.of(new S3Config(port.get(), region, keys, java.time.Duration.ofHours(hours)));
    }
}
