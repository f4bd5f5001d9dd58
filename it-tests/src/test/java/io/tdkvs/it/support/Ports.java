package io.tdkvs.it.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for the servers the tests start, on 127.0.0.1. A port is handed out once per test run and is
 * taken outside the kernel's ephemeral range when it can be: a port from that range may be taken as the
 * source port of any outgoing connection between the moment it was found free and the moment a server
 * binds it, and Payara Micro that cannot bind its port stops with status 0.
 */
final class Ports {

    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int LOWEST = 10_000;
    private static final int HIGHEST = 65_535;
    private static final int MIN_SPAN = 1_000;

    private static final Set<Integer> handedOut = new HashSet<>();
    private static final int[] span = span();

    private Ports() {
    }

    /** {@code count} ports in a row, free a moment ago and never handed out before; answers the first. */
    static synchronized int take(int count) {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int first = ThreadLocalRandom.current().nextInt(span[0], span[1] - count + 2);
            boolean free = true;
            for (int port = first; free && port < first + count; port++) {
                free = !handedOut.contains(port) && bindable(port);
            }
            if (free) {
                for (int port = first; port < first + count; port++) {
                    handedOut.add(port);
                }
                return first;
            }
        }
        throw new IllegalStateException("no " + count + " free ports in a row on 127.0.0.1 in " + span[0] + "-" + span[1]);
    }

    /** The widest stretch of [10000, 65535] outside the ephemeral range, or all of it if none is wide enough. */
    private static int[] span() {
        int low = HIGHEST + 1;
        int high = HIGHEST + 1;
        try {
            // Files.readString trusts the size a /proc file reports, and answered "3" of "32768\t60999" here
            List<String> words = List.of(String.join(" ", Files.readAllLines(EPHEMERAL_RANGE)).trim().split("\\s+"));
            low = Integer.parseInt(words.get(0));
            high = Integer.parseInt(words.get(1));
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: no range to avoid
        }
        int below = low - LOWEST;
        int above = HIGHEST - high;
        if (below >= above && below >= MIN_SPAN) {
            return new int[] {LOWEST, low - 1};
        }
        if (above >= MIN_SPAN) {
            return new int[] {high + 1, HIGHEST};
        }
        return new int[] {LOWEST, HIGHEST};
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort() == port;
        } catch (IOException e) {
            return false;
        }
    }
}
