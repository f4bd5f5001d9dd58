package io.tdkvs.master.keys.boundary;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import io.tdkvs.master.keys.entity.InvalidKeyException;
import io.tdkvs.master.keys.entity.InvalidKeyException.Problem;
import io.tdkvs.master.keys.entity.Key;

/**
 * Reads the key from the raw (still percent-encoded) request: from the path after
 * {@code /<endpoint>/}, where every character counts ({@code /}, {@code ;}, {@code +} included),
 * or else from the {@code key} query parameter, form-encoded ({@code +} is a space). Decoding is
 * strict: a malformed escape or bytes that are not UTF-8 are rejected, never replaced.
 */
final class RequestKey {

    private RequestKey() {
    }

    static Key parse(String endpoint, String rawPath, String rawQuery) {
        return argument(endpoint, "key", rawPath, rawQuery).map(Key::of).orElseThrow(() -> new InvalidKeyException(
                Problem.EMPTY, "no key: use /" + endpoint + "/<key>, or /" + endpoint + "?key=<key> for keys a path cannot carry"));
    }

    /**
     * The prefix of a listing, {@code /list/<prefix>} or {@code /list?prefix=<prefix>}, decoded as a key
     * is; empty when there is none (every key).
     */
    static String prefix(String rawPath, String rawQuery) {
        String prefix = argument("list", "prefix", rawPath, rawQuery).orElse("");
        Key.checkLength(prefix);
        return prefix;
    }

    /** A key given as a query parameter, such as a listing's {@code after}. */
    static Optional<Key> queryKey(String rawQuery, String name) {
        return Optional.ofNullable(parameter(rawQuery, name)).map(raw -> Key.of(decode(raw, true)));
    }

    /** The endpoint's argument: the rest of the path after {@code /<endpoint>/}, else the query parameter. */
    private static Optional<String> argument(String endpoint, String parameter, String rawPath, String rawQuery) {
        String path = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        String inPath = path.length() > endpoint.length() ? path.substring(endpoint.length() + 1) : "";
        String movedFromPath = parameter(rawQuery, RequestTargets.PATH_KEY);
        if (inPath.isEmpty() && movedFromPath != null) {
            inPath = movedFromPath;
        }
        String inQuery = parameter(rawQuery, parameter);
        if (!inPath.isEmpty() && inQuery != null) {
            throw malformed("give the " + parameter + " either in the path or as ?" + parameter + "=, not both");
        }
        if (!inPath.isEmpty()) {
            return Optional.of(decode(inPath, false));
        }
        return Optional.ofNullable(inQuery).map(raw -> decode(raw, true));
    }

    /** The raw value of a query parameter, or null if absent. */
    private static String parameter(String rawQuery, String name) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return null;
        }
        String found = null;
        for (String parameter : rawQuery.split("&")) {
            if (parameter.equals(name) || parameter.startsWith(name + "=")) {
                if (found != null) {
                    throw malformed("the " + name + " parameter is given more than once");
                }
                found = parameter.substring(Math.min(parameter.length(), name.length() + 1));
            }
        }
        return found;
    }

    static String decode(String raw, boolean plusIsSpace) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0
                        || Character.digit(raw.charAt(i + 2), 16) < 0) {
                    throw malformed("the key has a malformed percent-escape at character " + i
                            + " (expected %XX with two hex digits)");
                }
                bytes.write(Character.digit(raw.charAt(i + 1), 16) << 4 | Character.digit(raw.charAt(i + 2), 16));
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else {
                int codePoint = raw.codePointAt(i);
                byte[] utf8 = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
                i += Character.charCount(codePoint) - 1;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw malformed("the key is not valid UTF-8 once percent-decoded");
        }
    }

    private static InvalidKeyException malformed(String message) {
        return new InvalidKeyException(Problem.MALFORMED, message);
    }
}
