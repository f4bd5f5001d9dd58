package io.tdkvs.launch;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * How the servers run: which JDK ({@link ServerJava}), from which Payara Micro runtime (the jar, or the runtime
 * unpacked once, {@link PayaraRuntime}) and with which start-up cache ({@link StartupCache}, JDK 25 and newer;
 * {@code TDKVS_STARTUP_CACHE=off} goes without). Launchers started at the same time prepare it once: the first
 * holds a file lock while it unpacks and trains, the others wait for it.
 *
 * @param root the prepared root folder, if the servers run from one
 */
record ServerRuntime(ServerJava java, Path payaraJar, Optional<Path> root, Optional<Path> cache) {

    static final String CACHE_ENV = "TDKVS_STARTUP_CACHE";
    /** Where the prepared runtime is kept, relative to the project's root: it belongs to the build. */
    static final String FOLDER = "payara-config/launcher/target/payara-runtime";

    /** The launcher's own JDK with the Payara Micro jar as it is: what a plan shows when nothing is prepared. */
    static ServerRuntime plain(Path home) {
        Path own = Path.of(System.getProperty("java.home"));
        ServerJava java = ServerJava.of(own).orElseGet(() -> new ServerJava(own.resolve("bin").resolve("java"),
                System.getProperty("java.version"), Runtime.version().feature()));
        return new ServerRuntime(java, Instance.built(home, Instance.PAYARA_JAR), Optional.empty(), Optional.empty());
    }

    /** The JDK the environment chooses, with the runtime prepared and, where the JDK keeps one, the cache made. */
    static ServerRuntime prepare(Path home, Map<String, String> env, List<String> volumeOptions, PrintStream log) {
        ServerJava java = ServerJava.choose(env, Path.of(System.getProperty("java.home")), ServerJava.INSTALLED);
        Path payaraJar = Instance.built(home, Instance.PAYARA_JAR);
        Path dir = home.resolve(FOLDER).toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
            try (FileChannel channel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
                Path root = PayaraRuntime.prepare(java, payaraJar, dir);
                Optional<Path> cache = java.keepsAStartupCache() && !"off".equalsIgnoreCase(env.getOrDefault(CACHE_ENV, ""))
                        ? StartupCache.ensure(java, volumeOptions, root, Instance.built(home, ServerRole.VOLUME.war()), dir, log)
                        : Optional.empty();
                return new ServerRuntime(java, payaraJar, Optional.of(root), cache);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the servers' runtime in " + dir, e);
        }
    }

    /** The file {@code tdkvs prepare} names the servers' JDK in, as {@value #JAVA_PROPERTY}, in the runtime's folder. */
    static final String JAVA_NOTE = "server-java.properties";
    /** The property of {@value #JAVA_NOTE}: the integration suite runs its tests, and so its Arquillian servers, on it. */
    static final String JAVA_PROPERTY = "tdkvs.server.java";

    /** Writes {@value #JAVA_NOTE} in the runtime's folder under {@code home}. */
    void noteJava(Path home) {
        Properties note = new Properties();
        note.setProperty(JAVA_PROPERTY, java.java().toString());
        Path file = home.resolve(FOLDER).resolve(JAVA_NOTE);
        try (Writer out = Files.newBufferedWriter(Files.createDirectories(file.getParent()).resolve(JAVA_NOTE))) {
            note.store(out, "the JDK the servers run on, chosen by tdkvs prepare");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * JVM options this runtime adds to a server's own. The start-up cache is mapped at the address it was made for
     * (where the JVM finds that address taken, it relocates as it does by default): relocated, every page of it that
     * holds a pointer is rewritten and becomes the process's own copy; in place, those pages stay the cache file's,
     * shared by the servers of a machine. This gives up the random placement of the cache's classes that Java 20
     * brought, as Java 17 runs its own class data archive.
     */
    List<String> jvmOptions() {
        List<String> options = new ArrayList<>(java.requiredOptions());
        cache.ifPresent(file -> options.addAll(List.of("-XX:AOTCache=" + file, "-XX:+UnlockDiagnosticVMOptions",
                "-XX:ArchiveRelocationMode=0")));
        return options;
    }

    /**
     * How Payara Micro starts, after the JVM's options, for a server whose files are in {@code filesDir}: the jar,
     * with the system properties and Payara options it needs; from a prepared runtime, the server's root folder is made anew there (all of it,
     * or with a start-up cache, only what Payara writes: the classes then come from the prepared root itself,
     * on the class path the cache was made with).
     */
    PayaraRuntime.JarStart launch(Path filesDir) {
        if (root.isEmpty()) {
            return PayaraRuntime.JarStart.of(payaraJar);
        }
        Path own = filesDir.resolve("root");
        return cache.isPresent() ? PayaraRuntime.sharedLaunch(root.get(), own)
                : PayaraRuntime.JarStart.of(PayaraRuntime.instanceRoot(root.get(), own).resolve(PayaraRuntime.LAUNCHER));
    }
}
