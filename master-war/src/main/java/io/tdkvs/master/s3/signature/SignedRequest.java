package io.tdkvs.master.s3.signature;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An S3 request as its signature covers it: the method, the path and query as the client sent them
 * (still percent-encoded), and the headers by lower-case name.
 */
public record SignedRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers) {

    public SignedRequest {
        rawQuery = rawQuery == null ? "" : rawQuery;
        Map<String, List<String>> lower = new TreeMap<>();
        headers.forEach((name, values) -> lower.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>())
                .addAll(values));
        headers = Map.copyOf(lower);
    }

    /** A header's values as a signature covers them: each trimmed, runs of spaces made one, joined by commas. */
    Optional<String> header(String name) {
        List<String> values = headers.get(name);
        if (values == null || values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() == 1) {
            return Optional.of(canonical(values.get(0)));
        }
        return Optional.of(String.join(",", values.stream().map(SignedRequest::canonical).toList()));
    }

    /** A header value trimmed, with each run of spaces made one. */
    static String canonical(String value) {
        String stripped = value.strip();
        if (stripped.indexOf("  ") < 0) {
            return stripped;
        }
        StringBuilder out = new StringBuilder(stripped.length());
        for (int i = 0; i < stripped.length(); i++) {
            char c = stripped.charAt(i);
            if (c != ' ' || out.charAt(out.length() - 1) != ' ') {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The query's parameters, decoded, in the order sent; a parameter sent without {@code =} has an empty value. */
    List<Map.Entry<String, String>> queryParameters() {
        return sentQueryParameters().stream().map(p -> Map.entry(decoded(p.getKey()), decoded(p.getValue()))).toList();
    }

    /** The query's parameters as sent, still percent-encoded, in the order sent. */
    List<Map.Entry<String, String>> sentQueryParameters() {
        List<Map.Entry<String, String>> parameters = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            if (!pair.isEmpty()) {
                int equals = pair.indexOf('=');
                parameters.add(equals < 0 ? Map.entry(pair, "") : Map.entry(pair.substring(0, equals), pair.substring(equals + 1)));
            }
        }
        return parameters;
    }

    /** The first value of a query parameter. */
    Optional<String> queryParameter(String name) {
        return queryParameters().stream().filter(p -> p.getKey().equals(name)).map(Map.Entry::getValue).findFirst();
    }

    private static String decoded(String sent) {
        return new String(UriEncoding.decode(sent), StandardCharsets.UTF_8);
    }
}
