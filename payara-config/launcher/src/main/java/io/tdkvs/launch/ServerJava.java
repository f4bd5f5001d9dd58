package io.tdkvs.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The JDK that runs the servers: the one {@code TDKVS_JAVA} names (a JDK's folder or its {@code bin/java}),
 * else the newest of the launcher's own JDK and those installed side by side in {@code /usr/lib/jvm}. Newer
 * JDKs start Payara Micro faster (from 25 on, with a start-up cache) and hold less memory.
 *
 * @param java    its {@code bin/java}
 * @param version its {@code JAVA_VERSION}, e.g. {@code 25.0.3}
 * @param feature the feature release, e.g. 25
 */
record ServerJava(Path java, String version, int feature) {

    static final String ENV = "TDKVS_JAVA";
    static final Path INSTALLED = Path.of("/usr/lib/jvm");
    /** What our WARs are compiled for. */
    static final int OLDEST = 17;
    private static final Pattern VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"?((\\d+)[^\"\\s]*)\"?\\s*$");

    /** The JDK that {@code env} asks for, else the newest of {@code own} and the JDKs under {@code installed}. */
    static ServerJava choose(Map<String, String> env, Path own, Path installed) {
        String asked = env.get(ENV);
        if (asked != null && !asked.isBlank()) {
            ServerJava java = of(Path.of(asked.strip())).orElseThrow(() -> new IllegalArgumentException(ENV + "=" + asked
                    + " is not a JDK: give the folder of a JDK (with bin/java and its release file) or its bin/java"));
            if (java.feature < OLDEST) {
                throw new IllegalArgumentException(ENV + "=" + asked + " is Java " + java.version + "; the servers need Java "
                        + OLDEST + " or newer");
            }
            return java;
        }
        List<ServerJava> candidates = new ArrayList<>();
        of(own).ifPresent(candidates::add);
        if (Files.isDirectory(installed)) {
            try (Stream<Path> folders = Files.list(installed)) {
                folders.sorted().forEach(folder -> of(folder).ifPresent(candidates::add));
            } catch (IOException e) {
                // nothing installed beside the launcher's own JDK can be seen: use that one
            }
        }
        ServerJava newest = null;
        for (ServerJava candidate : candidates) {
            if (newest == null || candidate.feature > newest.feature) {
                newest = candidate;
            }
        }
        if (newest == null) {
            Path java = own.resolve("bin").resolve("java");
            return new ServerJava(java, System.getProperty("java.version"), Runtime.version().feature());
        }
        return newest;
    }

    /** The JDK in {@code location} (its folder, or its {@code bin/java}), if it is one whose version can be read. */
    static Optional<ServerJava> of(Path location) {
        Path home = location.getFileName() != null && location.getFileName().toString().equals("java")
                && location.getParent() != null && location.getParent().getFileName() != null
                && location.getParent().getFileName().toString().equals("bin")
                ? location.getParent().getParent() : location;
        Path java = home.resolve("bin").resolve("java");
        Path release = home.resolve("release");
        if (!Files.isExecutable(java) || !Files.isRegularFile(release)) {
            return Optional.empty();
        }
        try {
            Matcher version = VERSION.matcher(Files.readString(release));
            if (!version.find()) {
                return Optional.empty();
            }
            return Optional.of(new ServerJava(java.toAbsolutePath().normalize(), version.group(1),
                    Integer.parseInt(version.group(2))));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * JVM options a server needs on this JDK: from 24 on, Payara Micro uses sun.misc.Unsafe and native access;
     * from 22 on, the JVM hands the C heap's free memory back to the system once a minute (before, glibc keeps
     * it, and a server's resident memory creeps with the work it has done).
     */
    List<String> requiredOptions() {
        List<String> options = new ArrayList<>();
        if (feature >= 22) {
            options.add("-XX:TrimNativeHeapInterval=60000");
        }
        if (feature >= 24) {
            options.addAll(List.of("--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED"));
        }
        return List.copyOf(options);
    }

    /** Whether this JDK keeps a start-up (AOT) cache of loaded and linked classes: JEP 483, from 25 on with one step. */
    boolean keepsAStartupCache() {
        return feature >= 25;
    }
}
