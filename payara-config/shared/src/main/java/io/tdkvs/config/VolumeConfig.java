package io.tdkvs.config;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * A volume's configuration file:
 * <pre>
 * port: 3001          # required
 * path: ./volume1     # required: where the values are stored (relative to this file)
 * bind: 127.0.0.1     # optional: the address to listen on
 * scrubRate: 8388608  # optional: bytes per second the scrub re-reads and checks (default 8 MiB/s; 0: no scrub)
 * secret: &lt;secret&gt;   # optional: the cluster's secret; then only requests its master signed are taken
 * </pre>
 *
 * @param secret the cluster's secret (as in the master's config); empty when the volume takes calls from anyone
 */
public record VolumeConfig(Path file, int port, String bind, Path path, long scrubRate, Optional<String> secret) {

    /** The scrub's default pace, bytes per second: a terabyte in about a day and a half. */
    public static final long DEFAULT_SCRUB_RATE = 8L * 1024 * 1024;
    static final Set<String> FIELDS = Set.of("port", "path", "bind", "scrubRate", "secret");

    public static VolumeConfig load(Path file) {
        YamlFile yaml = YamlFile.read(file, FIELDS);
        int port = yaml.port("port");
        Path path = yaml.path("path").orElseThrow(() -> yaml.missing("path"));
        String bind = yaml.string("bind").orElse(MasterConfig.DEFAULT_BIND);
        long scrubRate = yaml.integer("scrubRate").map(Integer::longValue).orElse(DEFAULT_SCRUB_RATE);
        if (scrubRate < 0) {
            throw yaml.invalid("scrubRate", scrubRate + " is negative; 0 turns the scrub off, n checks at most n bytes per second");
        }
        Optional<String> secret = yaml.secret("secret", MasterConfig.MIN_TOKEN_LENGTH);
        return new VolumeConfig(file.toAbsolutePath().normalize(), port, bind, path, scrubRate, secret);
    }
}
