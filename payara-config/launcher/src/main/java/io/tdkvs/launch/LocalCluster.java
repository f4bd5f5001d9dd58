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
import java.util.OptionalInt;

import io.tdkvs.config.GroupConfig;
import io.tdkvs.config.MasterConfig;
import io.tdkvs.config.VolumeConfig;

/**
 * {@code tdkvs local [--masters <n>] [<folder>]}: a master (or a group of masters) and its volumes
 * on 127.0.0.1 with their configs, data and logs in one folder. The first start writes three
 * volumes (ports from {@code TDKVS_LOCAL_PORT}, default 3000, + 1 to 3) keeping two copies of every
 * value, an admin token, and a master on the port itself ({@code master.yaml}) or, with
 * {@code --masters 3}, a group of three ({@code master1.yaml} to {@code master3.yaml}, on the port, + 10
 * and + 20, replicating on their HTTP port + 100). Later starts use the configs as the operator left
 * them, and start every {@code volume*.yaml} and {@code master*.yaml} there.
 */
final class LocalCluster {

    static final int DEFAULT_PORT = 3000;
    private static final int VOLUMES = 3;
    /** Two copies of every value: losing one volume loses nothing. */
    private static final int REPLICAS = 2;
    /** The masters of a group listen 10 ports apart; each replicates 100 ports above its own. */
    static final int MASTER_STEP = 10;
    static final int REPLICATION_OFFSET = 100;
    /** Each master serves S3 at its port + this. */
    static final int S3_OFFSET = 900;
    static final String S3_ENV = "s3.env";

    private LocalCluster() {
    }

    /**
     * The servers to start, volumes first; writes the configs of a new cluster.
     *
     * @param masters how many masters a new cluster gets (1, or an odd 3 to 7 for a group); empty: 1,
     *                or as many as the folder's configs say
     */
    static List<Instance> plan(Path dir, int basePort, Path home, OptionalInt masters) {
        Path single = dir.resolve("master.yaml");
        try {
            Files.createDirectories(dir);
            List<Path> group = configs(dir, "master?*.yaml");
            if (!Files.exists(single) && group.isEmpty()) {
                writeNewCluster(dir, basePort, masters.orElse(1));
            } else if (masters.isPresent() && masters.getAsInt() != (Files.exists(single) ? 1 : group.size())) {
                throw new IllegalArgumentException(dir + " already holds a cluster of " + (Files.exists(single) ? "one master "
                        + "(master.yaml)" : group.size() + " masters") + "; --masters " + masters.getAsInt() + " applies to a new "
                        + "cluster only (to make a master on its own the first of a group, see docs/running.md)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the configs of a local cluster to " + dir, e);
        }
        List<Instance> instances = new ArrayList<>();
        for (Path volume : configs(dir, "volume*.yaml")) {
            instances.add(Instance.volume(name(volume), VolumeConfig.load(volume), home));
        }
        List<Path> masterConfigs = Files.exists(single) ? List.of(single) : configs(dir, "master?*.yaml");
        for (Path master : masterConfigs) {
            instances.add(Instance.master(name(master), MasterConfig.load(master), Optional.empty(), false, home));
        }
        return instances;
    }

    static List<Instance> plan(Path dir, int basePort, Path home) {
        return plan(dir, basePort, home, OptionalInt.empty());
    }

    private static String name(Path config) {
        return config.getFileName().toString().replaceFirst("\\.yaml$", "");
    }

    private static void writeNewCluster(Path dir, int basePort, int masters) throws IOException {
        if (masters != 1 && (masters < GroupConfig.MIN_MEMBERS || masters > GroupConfig.MAX_MEMBERS || masters % 2 == 0)) {
            throw new IllegalArgumentException("--masters " + masters + ": a local cluster has one master, or a group of an odd "
                    + "number, " + GroupConfig.MIN_MEMBERS + " to " + GroupConfig.MAX_MEMBERS);
        }
        StringBuilder common = new StringBuilder("volumes:\n");
        String secret = randomHex();
        for (int i = 1; i <= VOLUMES; i++) {
            common.append("  - http://127.0.0.1:").append(basePort + i).append('\n');
            Files.writeString(dir.resolve("volume" + i + ".yaml"),
                    "port: " + (basePort + i) + "\npath: volume" + i + "\nsecret: " + secret + "\n", StandardCharsets.UTF_8);
        }
        common.append("secret: ").append(secret).append('\n');
        common.append("replicas: ").append(REPLICAS).append('\n');
        common.append("token: ").append(token(dir)).append('\n');
        common.append(s3Keys(dir, basePort));
        String header = "# a local tdkvs cluster; docs/running.md lists every field\n";
        if (masters == 1) {
            Files.writeString(dir.resolve("master.yaml"), header + "port: " + basePort + "\ns3Port: " + (basePort + S3_OFFSET) + "\n"
                    + common, StandardCharsets.UTF_8);
            return;
        }
        StringBuilder members = new StringBuilder("  members:\n");
        for (int i = 1; i <= masters; i++) {
            int port = basePort + (i - 1) * MASTER_STEP;
            members.append("    - {name: master").append(i).append(", url: http://127.0.0.1:").append(port)
                    .append(", replication: 127.0.0.1:").append(port + REPLICATION_OFFSET).append("}\n");
        }
        for (int i = 1; i <= masters; i++) {
            int port = basePort + (i - 1) * MASTER_STEP;
            Files.writeString(dir.resolve("master" + i + ".yaml"), header + "port: " + port + "\ns3Port: " + (port + S3_OFFSET) + "\n" + common
                    + "group:\n  self: master" + i + "\n" + members, StandardCharsets.UTF_8);
        }
    }

    /**
     * The S3 credential of the cluster, in its masters' configs, and in {@value #S3_ENV} (readable by its
     * owner only) as the environment the AWS tools read: {@code set -a; . local/s3.env; aws s3 ls}.
     */
    private static String s3Keys(Path dir, int basePort) throws IOException {
        SecureRandom random = new SecureRandom();
        StringBuilder accessKey = new StringBuilder("TDKVS");
        String letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        while (accessKey.length() < 20) {
            accessKey.append(letters.charAt(random.nextInt(letters.length())));
        }
        String secret = randomHex().substring(0, 40);
        Path env = dir.resolve(S3_ENV);
        Files.writeString(env, "AWS_ACCESS_KEY_ID=" + accessKey + "\nAWS_SECRET_ACCESS_KEY=" + secret
                + "\nAWS_ENDPOINT_URL=http://127.0.0.1:" + (basePort + S3_OFFSET) + "\nAWS_REGION=us-east-1\n", StandardCharsets.UTF_8);
        ownerOnly(env);
        return "s3Keys:\n  - accessKey: " + accessKey + "\n    secretKey: " + secret + "\n";
    }

    /** The admin token, also kept in {@code admin-token} (readable by its owner only) for scripts. */
    private static String token(Path dir) throws IOException {
        String token = randomHex();
        Path file = dir.resolve("admin-token");
        Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
        ownerOnly(file);
        return token;
    }

    private static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // a file system without POSIX permissions: the folder's own protection applies
        }
    }

    /** 24 random bytes in hex: a token or a secret. */
    private static String randomHex() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /** {@code volume1.yaml}, {@code volume2.yaml}, ... {@code volume10.yaml}, in that order (or master1, ...). */
    private static List<Path> configs(Path dir, String glob) {
        List<Path> configs = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, glob)) {
            files.forEach(configs::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        configs.sort(Comparator.comparing((Path file) -> file.getFileName().toString().length())
                .thenComparing(file -> file.getFileName().toString()));
        return configs;
    }
}
