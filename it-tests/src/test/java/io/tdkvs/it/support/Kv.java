package io.tdkvs.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** A plain HTTP client of the tdkvs API, as any client would write one. */
public final class Kv {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final URI base;

    public Kv(URI base) {
        this.base = base;
    }

    public Answer put(String key, byte[] value) {
        return send("PUT", "/set/" + encode(key, true), value);
    }

    public Answer get(String key) {
        return send("GET", "/get/" + encode(key, true), null);
    }

    public Answer head(String key) {
        return send("HEAD", "/get/" + encode(key, true), null);
    }

    public Answer delete(String key) {
        return send("DELETE", "/delete/" + encode(key, true), null);
    }

    /** Any request; {@code rawTarget} is sent as written (path and query, already encoded). */
    public Answer send(String method, String rawTarget, byte[] body) {
        return send(method, rawTarget, body, new String[0]);
    }

    /** Any request, with headers given as name, value, name, value, ... */
    public Answer send(String method, String rawTarget, byte[] body, String... headers) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body);
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + rawTarget))
                .timeout(Duration.ofMinutes(2))
                .method(method, publisher);
        if (headers.length > 0) {
            builder.headers(headers);
        }
        HttpRequest request = builder.build();
        try {
            HttpResponse<byte[]> response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + rawTarget, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Percent-encodes everything but unreserved characters (and '/', in a path). */
    public static String encode(String key, boolean keepSlash) {
        StringBuilder out = new StringBuilder();
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '/' && keepSlash) {
                out.append((char) c);
            } else {
                out.append(String.format("%%%02X", c));
            }
        }
        return out.toString();
    }

    /** The keys of the blobs a volume holds, from its listing. */
    public static List<String> blobKeys(URI volume) {
        List<String> keys = new ArrayList<>();
        for (String line : new Kv(volume).send("GET", "/blobs", null).text().split("\n")) {
            if (!line.isBlank()) {
                keys.add(new String(Base64.getUrlDecoder().decode(line.split(" ")[3]), StandardCharsets.UTF_8));
            }
        }
        return keys;
    }

    /** An HTTP answer. */
    public record Answer(int status, byte[] body, HttpHeaders headers) {

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return status + " " + (body.length > 300 ? text().substring(0, 300) + "..." : text());
        }
    }
}
