package io.tdkvs.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import io.tdkvs.config.MasterConfig;
import io.tdkvs.config.VolumeConfig;

/**
 * {@code tdkvs local [<folder>]}: a master and its volumes on 127.0.0.1 with their configs, data and
 * logs in one folder. The first start writes a master and three volumes (ports from
 * {@code TDKVS_LOCAL_PORT}, default 3000) keeping two copies of every value, and an admin token; later starts use the configs as the
 * operator left them, and start every {@code volume*.yaml} there.
 */
final class LocalCluster {

    static final int DEFAULT_PORT = 3000;
    private static final int VOLUMES = 3;
    /** Two copies of every value: losing one volume loses nothing. */
    private static final int REPLICAS = 2;

    private LocalCluster() {
    }

    /** The servers to start, volumes first; writes the configs of a new cluster. */
    static List<Instance> plan(Path dir, int basePort, Path home) {
        Path master = dir.resolve("master.yaml");
        try {
            Files.createDirectories(dir);
            if (!Files.exists(master)) {
                writeNewCluster(dir, basePort);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the configs of a local cluster to " + dir, e);
        }
        List<Instance> instances = new ArrayList<>();
        for (Path volume : volumeConfigs(dir)) {
            String name = volume.getFileName().toString().replaceFirst("\\.yaml$", "");
            instances.add(Instance.volume(name, VolumeConfig.load(volume), home));
        }
        instances.add(Instance.master(MasterConfig.load(master), Optional.empty(), false, home));
        return instances;
    }

    private static void writeNewCluster(Path dir, int basePort) throws IOException {
        StringBuilder master = new StringBuilder("# a local tdkvs cluster; see the README for every field\n")
                .append("port: ").append(basePort).append("\nvolumes:\n");
        for (int i = 1; i <= VOLUMES; i++) {
            master.append("  - http://127.0.0.1:").append(basePort + i).append('\n');
            Files.writeString(dir.resolve("volume" + i + ".yaml"),
                    "port: " + (basePort + i) + "\npath: volume" + i + "\n", StandardCharsets.UTF_8);
        }
        master.append("replicas: ").append(REPLICAS).append('\n');
        master.append("token: ").append(token(dir)).append('\n');
        Files.writeString(dir.resolve("master.yaml"), master, StandardCharsets.UTF_8);
    }

    /** The admin token, also kept in {@code admin-token} (readable by its owner only) for scripts. */
    private static String token(Path dir) throws IOException {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String token = HexFormat.of().formatHex(random);
        Path file = dir.resolve("admin-token");
        Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // a file system without POSIX permissions: the folder's own protection applies
        }
        return token;
    }

    /** {@code volume1.yaml}, {@code volume2.yaml}, ... {@code volume10.yaml}, in that order. */
    private static List<Path> volumeConfigs(Path dir) {
        List<Path> configs = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "volume*.yaml")) {
            files.forEach(configs::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        configs.sort(Comparator.comparing((Path file) -> file.getFileName().toString().length())
                .thenComparing(file -> file.getFileName().toString()));
        return configs;
    }
}
