package io.tdkvs.master.keys.boundary;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import io.tdkvs.master.keys.entity.InvalidKeyException;

/**
 * Request targets that Payara's HTTP layer would refuse or mangle before tdkvs sees them, and how
 * to route them so it does not: a key in the path that holds a NUL byte, a backslash, a dot segment,
 * bytes that are not UTF-8 or a malformed escape moves, raw, into the query parameter
 * {@value #PATH_KEY}, which tdkvs decodes like a path. Any other target with a malformed escape goes
 * to {@value #MALFORMED}, which answers 400. Everything else is left alone.
 */
final class RequestTargets {

    /** The key as it was written in the path, moved into the query. */
    static final String PATH_KEY = "tdkvs-path-key";
    static final String MALFORMED = "/tdkvs-malformed-target";

    private static final List<String> ENDPOINTS = List.of("set", "get", "delete", "list");

    private RequestTargets() {
    }

    /** The target to use instead, or empty if the container handles this one correctly. */
    static Optional<Target> repair(String rawPath, String rawQuery) {
        for (String endpoint : ENDPOINTS) {
            String prefix = "/" + endpoint + "/";
            if (rawPath.startsWith(prefix) && rawPath.length() > prefix.length()) {
                String rawKey = rawPath.substring(prefix.length());
                if (containerAccepts(rawKey)) {
                    return Optional.empty();
                }
                String query = PATH_KEY + "=" + rawKey.replace("&", "%26")
                        + (rawQuery == null || rawQuery.isEmpty() ? "" : "&" + rawQuery);
                return Optional.of(new Target("/" + endpoint, query));
            }
        }
        return decodes(rawPath) ? Optional.empty() : Optional.of(new Target(MALFORMED, null));
    }

    /** Payara decodes the path, refuses NUL, backslash and climbing dot segments, and breaks on bad escapes. */
    private static boolean containerAccepts(String rawKey) {
        if (rawKey.indexOf('\\') >= 0) {
            return false;
        }
        String key = rawKey;
        if (rawKey.indexOf('%') >= 0) {
            try {
                key = RequestKey.decode(rawKey, false);
            } catch (InvalidKeyException e) {
                return false;
            }
        }
        return key.indexOf('\0') < 0 && key.indexOf('\\') < 0
                && Arrays.stream(key.split("/", -1)).noneMatch(segment -> segment.equals(".") || segment.equals(".."));
    }

    private static boolean decodes(String rawPath) {
        try {
            RequestKey.decode(rawPath, false);
            return true;
        } catch (InvalidKeyException e) {
            return false;
        }
    }

    /** A request target: a path and a raw query (or null). */
    record Target(String path, String query) {
    }
}
