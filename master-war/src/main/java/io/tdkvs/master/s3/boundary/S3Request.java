package io.tdkvs.master.s3.boundary;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.tdkvs.master.s3.entity.S3Error;
import io.tdkvs.master.s3.entity.S3Exception;
import io.tdkvs.master.s3.signature.SignedRequest;

/**
 * An S3 request as the client sent it, path style: {@code /} (the service), {@code /<bucket>} or
 * {@code /<bucket>/<key>}, its query parameters (decoded) and its headers (by lower-case name).
 */
record S3Request(String method, String rawPath, String rawQuery, Optional<String> bucket, Optional<String> key,
                 Map<String, String> parameters, Map<String, List<String>> headers) {

    static S3Request of(String method, String rawPath, String rawQuery, Map<String, List<String>> headers) {
        String path = rawPath.isEmpty() ? "/" : rawPath;
        if (!path.startsWith("/")) {
            throw new S3Exception(S3Error.INVALID_REQUEST, "the request target is not a path: " + path, "");
        }
        int slash = path.indexOf('/', 1);
        String rawBucket = slash < 0 ? path.substring(1) : path.substring(1, slash);
        String rawKey = slash < 0 ? "" : path.substring(slash + 1);
        Optional<String> bucket = rawBucket.isEmpty() ? Optional.empty() : Optional.of(decode(rawBucket));
        Optional<String> key = rawKey.isEmpty() ? Optional.empty() : Optional.of(decode(rawKey));
        Map<String, String> parameters = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String name = decodeQuery(equals < 0 ? pair : pair.substring(0, equals));
                parameters.putIfAbsent(name, equals < 0 ? "" : decodeQuery(pair.substring(equals + 1)));
            }
        }
        Map<String, List<String>> lower = new TreeMap<>();
        headers.forEach((name, values) -> lower.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).addAll(values));
        return new S3Request(method, path, rawQuery == null ? "" : rawQuery, bucket, key, Collections.unmodifiableMap(parameters),
                Collections.unmodifiableMap(lower));
    }

    SignedRequest signed() {
        return new SignedRequest(method, rawPath, rawQuery, headers);
    }

    /** A header's first value. */
    Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    boolean has(String parameter) {
        return parameters.containsKey(parameter);
    }

    Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name));
    }

    /** The resource, as S3 names it in an error: {@code /bucket/key}. */
    String resource() {
        return bucket.map(b -> "/" + b + key.map(k -> "/" + k).orElse("")).orElse("/");
    }

    /** Percent-decoding of a path segment: {@code +} is itself; the bytes must be UTF-8. */
    static String decode(String raw) {
        return decode(raw, false);
    }

    static String decodeQuery(String raw) {
        return decode(raw, true);
    }

    private static String decode(String raw, boolean plusIsSpace) {
        if (raw.indexOf('%') < 0 && (!plusIsSpace || raw.indexOf('+') < 0)) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0 || Character.digit(raw.charAt(i + 2), 16) < 0) {
                    throw new S3Exception(S3Error.INVALID_ARGUMENT, "malformed percent-escape in \"" + raw + "\"", "");
                }
                bytes.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "\"" + raw + "\" is not UTF-8 once decoded", "");
        }
    }
}
