package io.tdkvs.master.s3.boundary;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * HTTP's date, the IMF-fixdate of RFC 9110 ({@code Sun, 06 Nov 1994 08:49:37 GMT}), written by hand for
 * {@code Last-Modified}: every GetObject and HeadObject carries one. {@code DateTimeFormatter.RFC_1123_DATE_TIME}
 * cost more, and writes the day of the month without its leading zero, which IMF-fixdate requires.
 */
final class HttpDate {

    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    private HttpDate() {
    }

    /** The time, to the second, as an IMF-fixdate. */
    static String format(Instant time) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(time.getEpochSecond(), 0, ZoneOffset.UTC);
        if (t.getYear() < 0 || t.getYear() > 9999) {
            throw new DateTimeException("outside the years an HTTP date can carry: " + time);
        }
        StringBuilder out = new StringBuilder(29).append(DAYS[t.getDayOfWeek().ordinal()]).append(", ");
        two(out, t.getDayOfMonth()).append(' ').append(MONTHS[t.getMonthValue() - 1]).append(' ');
        two(two(out, t.getYear() / 100), t.getYear() % 100).append(' ');
        two(out, t.getHour()).append(':');
        two(out, t.getMinute()).append(':');
        return two(out, t.getSecond()).append(" GMT").toString();
    }

    private static StringBuilder two(StringBuilder out, int value) {
        return out.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }
}
