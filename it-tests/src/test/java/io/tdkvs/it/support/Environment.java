package io.tdkvs.it.support;

import java.nio.file.Path;

/** Where the build put things, and free ports on 127.0.0.1. */
public final class Environment {

    private Environment() {
    }

    /** The repository root, where the {@code tdkvs} script is. */
    public static Path home() {
        return Path.of(System.getProperty("tdkvs.it.home", "..")).toAbsolutePath().normalize();
    }

    /** The module's build folder: logs and data of the servers the tests start go below it. */
    public static Path target() {
        return Path.of(System.getProperty("tdkvs.it.target", "target")).toAbsolutePath().normalize();
    }

    /** The JVM options of the servers the tests start with {@code ./tdkvs} (see it-tests/pom.xml). */
    public static String javaOpts() {
        return System.getProperty("tdkvs.it.javaOpts", "-Xmx256m -XX:+UseSerialGC " + jitOpts());
    }

    /** The JIT options of every server the tests start, those Arquillian starts with production's options included. */
    public static String jitOpts() {
        return System.getProperty("tdkvs.it.jitOpts", "-XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=0.25");
    }

    /** The first of {@code count} ports in a row for servers to bind on 127.0.0.1 (see {@link Ports}). */
    public static int freePorts(int count) {
        return Ports.take(count);
    }

    /** A port for a server to bind on 127.0.0.1 (see {@link Ports}). */
    public static int freePort() {
        return Ports.take(1);
    }
}
