package io.tdkvs.master.keys.boundary;

import java.nio.charset.StandardCharsets;

import io.tdkvs.master.keys.entity.Key;

/**
 * Where a stored key can be read: {@code get/<key>}, percent-encoded, or {@code get?key=<key>} for
 * keys that a URL path cannot carry (a NUL byte, a "." or ".." segment).
 */
final class Locations {

    private Locations() {
    }

    static String of(Key key) {
        String value = key.value();
        boolean pathSafe = value.indexOf('\0') < 0
                && !("/" + value + "/").contains("/./") && !("/" + value + "/").contains("/../");
        return pathSafe ? "get/" + encode(value, true) : "get?key=" + encode(value, false);
    }

    private static String encode(String value, boolean keepSlash) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '/' && keepSlash) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
