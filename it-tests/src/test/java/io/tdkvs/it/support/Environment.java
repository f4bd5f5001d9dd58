package io.tdkvs.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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

    public static String javaOpts() {
        return System.getProperty("tdkvs.it.javaOpts", "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
    }

    /** The first of {@code count} ports in a row that were free a moment ago (loopback). */
    public static int freePorts(int count) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int first = freePort();
            boolean free = first + count < 65536;
            for (int port = first + 1; free && port < first + count; port++) {
                try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                    free = socket.getLocalPort() == port;
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) {
                return first;
            }
        }
        throw new IllegalStateException("no " + count + " free ports in a row on 127.0.0.1");
    }

    /** A port that was free a moment ago (ephemeral range, loopback). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
