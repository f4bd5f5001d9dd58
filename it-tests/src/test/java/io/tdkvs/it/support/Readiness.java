package io.tdkvs.it.support;

import java.net.URI;
import java.time.Duration;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

/** Whether a server answers 200 to {@code GET /health/ready}; Payara answers an HTML 404 until the WAR is deployed. */
public final class Readiness {

    private static final Duration TIMEOUT = Duration.ofSeconds(180);

    private Readiness() {
    }

    public static boolean ready(URI server) {
        try (Response response = Store.client().target(server).path("health/ready").request().get()) {
            return response.getStatus() == 200;
        } catch (ProcessingException e) {
            return false;
        }
    }

    /** Waits, up to 180 s, until every server is ready. */
    public static void await(URI... servers) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        for (URI server : servers) {
            while (!ready(server)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(server + " is not ready after " + TIMEOUT);
                }
                Server.sleep(200);
            }
        }
    }
}
