package io.tdkvs.config;

import java.nio.file.Path;
import java.util.Set;

/**
 * A volume's configuration file:
 * <pre>
 * port: 3001          # required
 * path: ./volume1     # required: where the values are stored (relative to this file)
 * bind: 127.0.0.1     # optional: the address to listen on
 * </pre>
 */
public record VolumeConfig(Path file, int port, String bind, Path path) {

    private static final Set<String> FIELDS = Set.of("port", "path", "bind");

    public static VolumeConfig load(Path file) {
        YamlFile yaml = YamlFile.read(file, FIELDS);
        int port = yaml.port("port");
        Path path = yaml.path("path").orElseThrow(() -> yaml.missing("path"));
        String bind = yaml.string("bind").orElse(MasterConfig.DEFAULT_BIND);
        return new VolumeConfig(file.toAbsolutePath().normalize(), port, bind, path);
    }
}
