package io.tdkvs.master.s3.boundary;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import io.tdkvs.config.S3Config;
import io.tdkvs.master.group.boundary.LeaderForwarding;

/**
 * How a request that reaches the S3 port travels to {@link S3Resource}: its path as the client sent it
 * would be decoded and normalised by the web container (an object key may hold {@code ..}, a backslash,
 * any byte), so it moves, still encoded, into the first query parameter of a request for
 * {@value #PATH}, and S3Resource reads it back from there with the client's own query after it.
 * In a group of masters, a follower relays such a request, as it stands, to the leader's own port with
 * the client's {@code Host} beside it (the signature covers it): the leader answers it as an S3
 * request, and the client sees the leader's answer.
 */
public final class S3Targets {

    /** Where every request of the S3 port goes. */
    public static final String PATH = "/_s3";
    static final String PARAMETER = "tdkvs-s3-path";

    private S3Targets() {
    }

    /**
     * Whether {@code request} is one of the S3 endpoint's: it came in on this master's S3 port, or a
     * member of the group relayed one that came in on its own (a master without an S3 port has none).
     */
    public static boolean arrived(HttpServletRequest request, Optional<S3Config> s3) {
        if (s3.isEmpty()) {
            return false;
        }
        if (request.getLocalPort() == s3.get().port()) {
            return true;
        }
        return relayed(request);
    }

    /** Whether a member relayed this S3 request from its S3 port. */
    static boolean relayed(HttpServletRequest request) {
        return request.getHeader(LeaderForwarding.FORWARDED_BY) != null && request.getHeader(LeaderForwarding.FORWARDED_HOST) != null
                && PATH.equals(request.getRequestURI().substring(request.getContextPath().length()));
    }

    /** The query that carries {@code rawPath} and then {@code rawQuery} (either may be empty or null). */
    public static String query(String rawPath, String rawQuery) {
        StringBuilder query = new StringBuilder(PARAMETER).append('=');
        for (byte b : (rawPath == null ? "" : rawPath).getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c > 0x20 && c < 0x7f && c != '%' && c != '&' && c != '+' && c != '#' && c != '=') {
                query.append((char) c);
            } else {
                query.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        if (rawQuery != null && !rawQuery.isEmpty()) {
            query.append('&').append(rawQuery);
        }
        return query.toString();
    }

    /** The client's path and query from a query {@link #query} made; null if it is not one. */
    static String[] original(String query) {
        if (query == null || !query.startsWith(PARAMETER + "=")) {
            return null;
        }
        int amp = query.indexOf('&');
        String carried = query.substring(PARAMETER.length() + 1, amp < 0 ? query.length() : amp);
        ByteArrayOutputStream path = new ByteArrayOutputStream();
        for (int i = 0; i < carried.length(); i++) {
            char c = carried.charAt(i);
            if (c == '%' && i + 2 < carried.length()) {
                path.write(Integer.parseInt(carried.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                path.write(c);
            }
        }
        return new String[] {path.toString(StandardCharsets.UTF_8), amp < 0 ? "" : query.substring(amp + 1)};
    }
}
