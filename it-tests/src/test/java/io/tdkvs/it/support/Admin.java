package io.tdkvs.it.support;

import java.io.StringReader;
import java.net.URI;
import java.time.Duration;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/** The master's admin API, through the JAX-RS client. */
public final class Admin {

    private Admin() {
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }

    /** {@code POST /admin/<change>} with {@code {"url": <volume>}} and the given Authorization header, or none. */
    public static Reply change(Store master, String change, URI volume, String authorization) {
        String body = Json.createObjectBuilder().add("url", volume.toString()).build().toString();
        return send(master, change, body, authorization);
    }

    /** {@code POST /admin/<change>} with any body. */
    public static Reply send(Store master, String change, String body, String authorization) {
        Invocation.Builder request = master.target().path("admin/" + change).request();
        if (authorization != null) {
            request.header(HttpHeaders.AUTHORIZATION, authorization);
        }
        return Reply.of(request.post(Entity.entity(body, MediaType.APPLICATION_JSON)));
    }

    public static JsonObject status(Store master) {
        return master.json("admin/status");
    }

    public static JsonObject migration(Store master) {
        return master.json("admin/migration");
    }

    public static String state(JsonObject migration) {
        return migration.getString("state");
    }

    /** Waits until no migration runs (or waits for a volume); answers the last {@code GET /admin/migration}. */
    public static JsonObject awaitMigration(Store master, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonObject status = migration(master);
            if (!underWay(status)) {
                return status;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the migration did not end within " + timeout + ": " + status);
            }
            Server.sleep(100);
        }
    }

    /** Running, or paused while it waits for a volume. */
    public static boolean underWay(JsonObject migration) {
        return state(migration).equals("running") || state(migration).equals("paused");
    }

    /**
     * Runs a verify through the admin API (waiting while one runs already: the master verifies a volume
     * that answers again by itself) and waits for its end, following it by the time it began (another,
     * of a volume that answers again, may begin as soon as it ends); answers its status, which must be done.
     */
    public static JsonObject verify(Store master, String token, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Reply started;
        while ((started = send(master, "verify", "", bearer(token))).status() == 409) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no verify could start within " + timeout + ": " + started);
            }
            Server.sleep(200);
        }
        if (started.status() != 202) {
            throw new AssertionError("POST /admin/verify answered " + started);
        }
        String begun = Json.createReader(new StringReader(started.text())).readObject().getString("started");
        for (JsonObject status; ; Server.sleep(200)) {
            status = master.json("admin/verify/" + begun);
            if (!status.getString("started").equals(begun)) {
                throw new AssertionError("GET /admin/verify/" + begun + " answered another verify: " + status);
            }
            if (!status.getString("state").equals("running")) {
                if (!status.getString("state").equals("done")) {
                    throw new AssertionError("the verify ended " + status);
                }
                return status;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the verify did not end within " + timeout);
            }
        }
    }
}
