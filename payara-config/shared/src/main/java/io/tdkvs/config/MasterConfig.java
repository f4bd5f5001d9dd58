package io.tdkvs.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The master's configuration file:
 * <pre>
 * port: 3000                 # required
 * volumes:                   # required, the volume servers' base URLs
 *   - http://127.0.0.1:3001
 * data: ./master-data        # optional: the metakey index (default: next to this file, "&lt;name&gt;-data")
 * bind: 127.0.0.1            # optional: the address to listen on
 * workers: 4                 # optional: batches of keys a rebalance or a drain moves in parallel
 * moveRate: 0                # optional: at most this many keys moved per second (0: no cap)
 * replicas: 1                # optional: copies of each value, each on another volume (1-volumes listed)
 * token: &lt;secret&gt;            # optional: the bearer token of the admin API's changes (add, drain)
 * secret: &lt;secret&gt;           # optional: the cluster's secret, which signs every call to a volume (the volumes' own)
 * group: ...                 # optional: the group of masters this one belongs to ({@link GroupConfig})
 * deadlines: ...             # optional: how long a volume may take to answer ({@link Deadlines})
 * valueCache: 16MiB         # optional: memory for small values kept by the master (default a sixteenth of its heap; 0: none)
 * s3Port: 3900               # optional: the port of the S3 endpoint, with s3Keys and s3Region ({@link S3Config})
 * </pre>
 *
 * @param moveRate at most this many keys moved per second by a migration; 0 for no cap
 * @param replicas how many copies of each value the cluster keeps
 * @param token    the admin token; empty when online changes are turned off
 * @param group    the group of masters it belongs to; empty for a master on its own
 * @param secret   the cluster's secret, shared with its volumes; empty when the volumes take calls from anyone
 * @param deadlines how long the master waits for a volume
 * @param valueCache the bytes of small values the master keeps in memory to answer reads; empty for its default
 * @param s3 the S3 endpoint; empty when it is off
 */
public record MasterConfig(Path file, int port, String bind, List<VolumeUrl> volumes, Path data, int workers,
                           int moveRate, int replicas, Optional<String> token, Optional<String> secret,
                           Optional<GroupConfig> group, Deadlines deadlines, OptionalLong valueCache,
                           Optional<S3Config> s3) {

    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_WORKERS = 4;
    public static final int MAX_WORKERS = 64;
    public static final int MIN_TOKEN_LENGTH = 16;

    static final Set<String> FIELDS = Set.of("port", "volumes", "data", "bind", "workers", "moveRate", "replicas", "token",
            "secret", "group", "deadlines", "valueCache", "s3Port", "s3Region", "s3Keys",
            "s3UploadExpiryHours");

    public MasterConfig {
        volumes = List.copyOf(volumes);
    }

    public static MasterConfig load(Path file) {
        YamlFile yaml = YamlFile.read(file, FIELDS);
        int port = yaml.port("port");
        List<VolumeUrl> volumes = volumes(yaml);
        String name = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        Path data = yaml.path("data").orElse(yaml.directory().resolve(name + "-data"));
        String bind = yaml.string("bind").orElse(DEFAULT_BIND);
        int workers = yaml.integer("workers").orElse(DEFAULT_WORKERS);
        if (workers < 1 || workers > MAX_WORKERS) {
            throw yaml.invalid("workers", workers + " is out of range (1-" + MAX_WORKERS + ")");
        }
        int moveRate = yaml.integer("moveRate").orElse(0);
        if (moveRate < 0) {
            throw yaml.invalid("moveRate", moveRate + " is negative; 0 means no cap, n at most n keys per second");
        }
        int replicas = yaml.integer("replicas").orElse(1);
        if (replicas < 1 || replicas > volumes.size()) {
            throw yaml.invalid("replicas", replicas + " is out of range: each copy of a value needs a volume of its own, and "
                    + volumes.size() + " volume(s) are listed (1-" + volumes.size() + ")");
        }
        Optional<String> token = yaml.secret("token", MIN_TOKEN_LENGTH);
        Optional<String> secret = yaml.secret("secret", MIN_TOKEN_LENGTH);
        Optional<GroupConfig> group = yaml.section("group", GroupConfig.FIELDS).map(section -> GroupConfig.read(section, port));
        Deadlines deadlines = Deadlines.read(yaml.section("deadlines", Deadlines.FIELDS));
        OptionalLong valueCache = yaml.bytes("valueCache").map(OptionalLong::of).orElse(OptionalLong.empty());
        return new MasterConfig(file.toAbsolutePath().normalize(), port, bind, volumes, data, workers, moveRate, replicas, token,
                secret, group, deadlines, valueCache, S3Config.read(yaml, port));
    }

    private static List<VolumeUrl> volumes(YamlFile yaml) {
        List<String> listed = yaml.strings("volumes");
        if (listed.isEmpty()) {
            throw yaml.invalid("volumes", "lists no volume; at least one is needed");
        }
        List<VolumeUrl> volumes = new ArrayList<>();
        for (int i = 0; i < listed.size(); i++) {
            String field = "volumes[" + i + "]";
            String text = listed.get(i);
            VolumeUrl url = VolumeUrl.of(text).orElseThrow(() -> yaml.invalid(field,
                    "\"" + text + "\" is not a volume URL (expected http://host:port)"));
            int first = volumes.indexOf(url);
            if (first >= 0) {
                throw yaml.invalid(field, url + " is listed twice (also volumes[" + first + "])");
            }
            volumes.add(url);
        }
        return volumes;
    }

    /**
     * The index a {@code -delete=<index>} flag gives.
     *
     * @throws IllegalArgumentException when it is not a number
     */
    public static int deleteIndex(String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-delete=" + value + " is not a volume index (0, 1, 2, ...)");
        }
    }

    /**
     * The volume that {@code -delete=<index>} names.
     *
     * @throws IllegalArgumentException when the index is out of range or names the only volume
     */
    public VolumeUrl volumeToDelete(int index) {
        if (index < 0 || index >= volumes.size()) {
            throw new IllegalArgumentException("-delete=" + index + " is out of range: " + file + " lists "
                    + volumes.size() + " volume(s), indexes 0-" + (volumes.size() - 1));
        }
        if (volumes.size() == 1) {
            throw new IllegalArgumentException("-delete=" + index + " would delete the last volume, "
                    + volumes.get(index) + "; a cluster needs at least one volume");
        }
        return volumes.get(index);
    }
}
