package io.tdkvs.launch;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import io.tdkvs.config.MasterConfig;
import io.tdkvs.config.VolumeConfig;

/**
 * One server to run: what it is, the URL that answers 200 once it serves, and how to start it.
 * TDKVS_JAVA_OPTS, if set, replaces the default JVM options.
 *
 * @param name      what the server is, for messages and log files ("master", "volume1", ...)
 * @param readiness its {@code /health/ready}
 * @param payara    its JVM options, system properties and Payara Micro options
 * @param war       the WAR it deploys
 * @param filesDir  the folder of its Payara Micro files (command files, root folder)
 */
record Instance(String name, String description, URI readiness, PayaraCommand payara, Path war, Path filesDir) {

    static final String PAYARA_JAR = "payara-config/launcher/target/payara-micro.jar";

    static Instance master(MasterConfig config, Optional<Integer> delete, boolean rebuild, Path home) {
        return master("master", config, delete, rebuild, home);
    }

    static Instance master(String name, MasterConfig config, Optional<Integer> delete, boolean rebuild, Path home) {
        delete.ifPresent(config::volumeToDelete);
        checkPortFree(config.bind(), config.port(), config.file());
        PayaraCommand payara = new PayaraCommand(ServerRole.MASTER, config.file(), config.port(), config.bind());
        javaOptions().ifPresent(payara::jvmOptions);
        config.s3().ifPresent(s3 -> {
            checkPortFree(config.bind(), s3.port(), config.file(), "s3Port");
            payara.s3Port(s3.port());
        });
        delete.ifPresent(index -> payara.property("tdkvs.delete", index.toString()));
        if (rebuild) {
            payara.property("tdkvs.rebuild", "true");
        }
        String description = delete.map(index -> "deleting volume " + index + " (" + config.volumes().get(index) + ")")
                .orElse(rebuild ? "rebuilding the index from the volumes " + config.volumes()
                        : "starting the master" + config.group().map(group -> " " + group.self().name() + " of group "
                        + group.name()).orElse("") + " on " + config.bind() + ":" + config.port())
                + "; config " + config.file() + ", data " + config.data();
        return new Instance(name, description, readiness(config.bind(), config.port()), payara,
                built(home, ServerRole.MASTER.war()), config.data().resolve("payara"));
    }

    static Instance volume(String name, VolumeConfig config, Path home) {
        checkPortFree(config.bind(), config.port(), config.file());
        PayaraCommand payara = new PayaraCommand(ServerRole.VOLUME, config.file(), config.port(), config.bind());
        javaOptions().ifPresent(payara::jvmOptions);
        String description = "starting a volume on " + config.bind() + ":" + config.port() + "; storing under " + config.path();
        return new Instance(name, description, readiness(config.bind(), config.port()), payara,
                built(home, ServerRole.VOLUME.war()), config.path().resolve("payara"));
    }

    /** Its command line on {@code runtime}; from a prepared runtime, this makes its root folder anew. */
    List<String> command(ServerRuntime runtime) {
        return JarLaunch.on(runtime, payara, filesDir).command(war);
    }

    /** A server listening on every address is asked on the loopback one. */
    private static URI readiness(String bind, int port) {
        String host = bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind.contains(":") ? "[" + bind + "]" : bind;
        return URI.create("http://" + host + ":" + port + "/health/ready");
    }

    /** Payara Micro logs a stack trace and exits 0 when its port is taken; say it plainly, and fail. */
    static void checkPortFree(String bind, int port, Path config) {
        checkPortFree(bind, port, config, "port");
    }

    static void checkPortFree(String bind, int port, Path config, String field) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(bind, port));
        } catch (IOException e) {
            throw new IllegalStateException(config + ": " + field + ": " + bind + ":" + port
                    + " cannot be used (" + e.getMessage() + "); is another server running there?");
        }
    }

    /** The JVM options TDKVS_JAVA_OPTS gives, else those of {@code role}. */
    static List<String> javaOptions(ServerRole role) {
        return javaOptions().orElseGet(role::javaOptions);
    }

    private static Optional<List<String>> javaOptions() {
        String options = System.getenv("TDKVS_JAVA_OPTS");
        return options == null ? Optional.empty() : Optional.of(options.isBlank() ? List.of() : Arrays.asList(options.strip().split("\\s+")));
    }

    static Path built(Path home, String relative) {
        Path file = home.resolve(relative).toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is missing; build first: mvn -q -DskipTests package");
        }
        return file;
    }
}
