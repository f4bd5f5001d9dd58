package io.tdkvs.master.s3.signature;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The URI encoding of Signature Version 4: every byte but the unreserved characters of RFC 3986 as
 * {@code %XY} in upper-case hex. A path or query as a client sent it may be encoded otherwise ({@code ~}
 * escaped, {@code !} not), so it is decoded to its bytes first and encoded again, as the client did to sign.
 */
final class UriEncoding {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private UriEncoding() {
    }

    /** Encodes the bytes of {@code text} (UTF-8); a {@code /} stays as it is if {@code keepSlash}. */
    static String encode(String text, boolean keepSlash) {
        return encode(text.getBytes(StandardCharsets.UTF_8), keepSlash);
    }

    /** Decodes a component as sent and encodes it again: the form a client signed. */
    static String canonical(String sent, boolean keepSlash) {
        return encode(decode(sent), keepSlash);
    }

    /** The bytes a percent-encoded component stands for; a {@code %} not followed by two hex digits stands for itself. */
    static byte[] decode(String sent) {
        byte[] bytes = sent.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
        for (int i = 0; i < bytes.length; i++) {
            int high;
            int low;
            if (bytes[i] == '%' && i + 2 < bytes.length && (high = Character.digit(bytes[i + 1], 16)) >= 0
                    && (low = Character.digit(bytes[i + 2], 16)) >= 0) {
                out.write(high << 4 | low);
                i += 2;
            } else {
                out.write(bytes[i]);
            }
        }
        return out.toByteArray();
    }

    private static String encode(byte[] bytes, boolean keepSlash) {
        StringBuilder out = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
                    || c == '~' || keepSlash && c == '/') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }
}
