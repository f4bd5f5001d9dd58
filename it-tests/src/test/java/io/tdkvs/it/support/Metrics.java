package io.tdkvs.it.support;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.DoubleSupplier;

/** A server's {@code GET /metrics} (Prometheus text), read through the JAX-RS client. */
public final class Metrics {

    private static final Duration WAIT = Duration.ofSeconds(40);

    private Metrics() {
    }

    /** The value of the sample {@code name{...}} whose labels include all of {@code labels}; 0 if there is none. */
    public static double value(Store server, String name, String... labels) {
        String text = server.target().path("metrics").request("text/plain").get(String.class);
        for (String line : text.split("\n")) {
            if (line.startsWith(name + "{") && Arrays.stream(labels).allMatch(line::contains)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    /** Waits until the sample exists and is not 0 (a gauge the master registers once it has asked the volumes). */
    public static double await(Store server, String name, String... labels) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        double value;
        while ((value = value(server, name, labels)) == 0 && System.nanoTime() < deadline) {
            Server.sleep(250);
        }
        return value;
    }

    /** Waits until the sample has the value {@code expected} gives; fails if it has not after a while. */
    public static void awaitValue(Store server, DoubleSupplier expected, String name, String... labels) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        double value;
        double wanted;
        while ((value = value(server, name, labels)) != (wanted = expected.getAsDouble())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + Arrays.toString(labels) + " is " + value + ", not " + wanted);
            }
            Server.sleep(250);
        }
    }
}
