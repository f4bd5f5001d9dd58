package io.tdkvs.it.support;

import java.nio.file.Path;

/** Where the build put things, and free ports on 127.0.0.1. */
public final class Environment {

    private static int fork;

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

    /**
     * Which of the suite's parallel test JVMs this one is, from 1 up: failsafe runs the test classes in
     * {@link #forks()} JVMs at once, each taking the next class when it is done with one. A JVM holds the
     * lock of {@code target/forks/<n>.lock} for the lowest {@code n} no other running JVM holds, until it ends.
     */
    public static synchronized int fork() {
        if (fork == 0) {
            fork = ForkLock.take(target().resolve("forks"));
        }
        return fork;
    }

    /** How many test JVMs run the suite's classes at once (1 when the tests run some other way). */
    public static int forks() {
        return Math.max(1, Integer.getInteger("tdkvs.it.forks", 1));
    }

    /**
     * A folder under {@link #target()} of this test JVM's own: what one JVM makes afresh at its start
     * (the Arquillian servers' folders) must not be another's that is running.
     */
    public static Path forkTarget(String name) {
        return target().resolve(name).resolve("fork-" + fork());
    }

    public static String javaOpts() {
        return System.getProperty("tdkvs.it.javaOpts", "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
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
