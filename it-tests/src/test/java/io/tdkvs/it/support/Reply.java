package io.tdkvs.it.support;

import java.nio.charset.StandardCharsets;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

/** An answer read whole from a JAX-RS {@link Response}, which it closes: status, headers and body. */
public record Reply(int status, MultivaluedMap<String, String> headers, byte[] body) {

    public static Reply of(Response response) {
        try (response) {
            byte[] body = response.hasEntity() ? response.readEntity(byte[].class) : new byte[0];
            return new Reply(response.getStatus(), response.getStringHeaders(), body);
        }
    }

    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** A header's (first) value, or null; header names are not case-sensitive. */
    public String header(String name) {
        return headers.entrySet().stream().filter(header -> header.getKey().equalsIgnoreCase(name))
                .map(header -> header.getValue().get(0)).findFirst().orElse(null);
    }

    @Override
    public String toString() {
        return status + " " + (body.length > 300 ? text().substring(0, 300) + "..." : text());
    }
}
