package io.tdkvs.launch;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import io.tdkvs.config.ConfigException;
import io.tdkvs.config.MasterConfig;
import io.tdkvs.config.VolumeConfig;

/**
 * {@code tdkvs master -config=<file> [-delete=<index>]} and {@code tdkvs volume -config=<file>}:
 * validates the command line and the config file, then prints the Payara Micro command to run,
 * NUL-separated, for the {@code tdkvs} script to exec. A bad command line or config file stops
 * here, with exit status 2 and a message naming the file, the field and what is wrong.
 */
public final class Tdkvs {

    static final String MASTER_JAVA_OPTS = "-Xmx1g -Xss512k";
    static final String VOLUME_JAVA_OPTS = "-Xmx256m -Xss512k";

    private Tdkvs() {
    }

    public static void main(String[] args) throws IOException {
        List<String> command;
        try {
            command = command(Arguments.parse(Arrays.asList(args)), Path.of(System.getProperty("tdkvs.home", ".")));
        } catch (Arguments.UsageException e) {
            System.err.println("tdkvs: " + e.getMessage() + "\n" + Arguments.USAGE);
            System.exit(2);
            return;
        } catch (ConfigException | IllegalArgumentException | IllegalStateException e) {
            System.err.println("tdkvs: " + e.getMessage());
            System.exit(2);
            return;
        } catch (UncheckedIOException e) {
            System.err.println("tdkvs: " + e.getMessage() + " (" + e.getCause().getMessage() + ")");
            System.exit(2);
            return;
        }
        OutputStream out = System.out;
        for (String part : command) {
            out.write(part.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        out.flush();
    }

    static List<String> command(Arguments arguments, Path home) {
        Path config = Path.of(arguments.config());
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        if (arguments.role().equals("master")) {
            MasterConfig master = MasterConfig.load(config);
            arguments.delete().ifPresent(master::volumeToDelete);
            PayaraCommand payara = new PayaraCommand(java, built(home, "payara-config/target/payara-micro.jar"),
                    built(home, "master-war/target/master.war"), master.port(), master.bind())
                    .jvmOptions(javaOptions(MASTER_JAVA_OPTS))
                    .property("tdkvs.config", master.file().toString());
            arguments.delete().ifPresent(index -> payara.property("tdkvs.delete", index.toString()));
            String doing = arguments.delete().map(index -> "deleting volume " + index + " (" + master.volumes().get(index) + ")")
                    .orElse("starting the master on " + master.bind() + ":" + master.port());
            checkPortFree(master.bind(), master.port(), master.file());
            System.err.println("tdkvs: " + doing + "; config " + master.file() + ", data " + master.data());
            return payara.build(master.data().resolve("payara"));
        }
        VolumeConfig volume = VolumeConfig.load(config);
        PayaraCommand payara = new PayaraCommand(java, built(home, "payara-config/target/payara-micro.jar"),
                built(home, "volume-war/target/volume.war"), volume.port(), volume.bind())
                .jvmOptions(javaOptions(VOLUME_JAVA_OPTS))
                .property("tdkvs.config", volume.file().toString());
        checkPortFree(volume.bind(), volume.port(), volume.file());
        System.err.println("tdkvs: starting a volume on " + volume.bind() + ":" + volume.port() + "; storing under " + volume.path());
        return payara.build(volume.path().resolve("payara"));
    }

    /** Payara Micro logs a stack trace and exits 0 when its port is taken; say it plainly, and fail. */
    static void checkPortFree(String bind, int port, Path config) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(bind, port));
        } catch (IOException e) {
            throw new IllegalStateException(config + ": port: " + bind + ":" + port
                    + " cannot be used (" + e.getMessage() + "); is another server running there?");
        }
    }

    private static List<String> javaOptions(String defaults) {
        String options = System.getenv().getOrDefault("TDKVS_JAVA_OPTS", defaults).strip();
        return options.isEmpty() ? List.of() : Arrays.asList(options.split("\\s+"));
    }

    private static Path built(Path home, String relative) {
        Path file = home.resolve(relative).toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is missing; build first: mvn -q -DskipTests package");
        }
        return file;
    }
}
