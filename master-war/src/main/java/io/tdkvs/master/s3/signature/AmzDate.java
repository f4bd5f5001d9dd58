package io.tdkvs.master.s3.signature;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The basic ISO 8601 time of Signature V4, {@code yyyyMMdd'T'HHmmss'Z'} (UTC), read and written by hand:
 * every signed request carries one, and a {@code DateTimeFormatter} costs more than the rest of the check.
 */
final class AmzDate {

    private static final int LENGTH = 16;

    private AmzDate() {
    }

    /** The time, or empty if the text is not exactly such a time (a valid date, each field in range). */
    static Optional<Instant> parse(String text) {
        if (text.length() != LENGTH || text.charAt(8) != 'T' || text.charAt(15) != 'Z') {
            return Optional.empty();
        }
        for (int i = 0; i < 15; i++) {
            if (i != 8 && (text.charAt(i) < '0' || text.charAt(i) > '9')) {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(LocalDateTime.of(number(text, 0, 4), number(text, 4, 2), number(text, 6, 2), number(text, 9, 2),
                    number(text, 11, 2), number(text, 13, 2)).toInstant(ZoneOffset.UTC));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    static String format(Instant time) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(time.getEpochSecond(), 0, ZoneOffset.UTC);
        if (t.getYear() < 0 || t.getYear() > 9999) {
            throw new DateTimeException("outside the years a Signature V4 time can carry: " + time);
        }
        char[] out = new char[LENGTH];
        digits(out, 0, t.getYear(), 4);
        digits(out, 4, t.getMonthValue(), 2);
        digits(out, 6, t.getDayOfMonth(), 2);
        out[8] = 'T';
        digits(out, 9, t.getHour(), 2);
        digits(out, 11, t.getMinute(), 2);
        digits(out, 13, t.getSecond(), 2);
        out[15] = 'Z';
        return new String(out);
    }

    private static int number(String text, int from, int length) {
        int value = 0;
        for (int i = from; i < from + length; i++) {
            value = value * 10 + text.charAt(i) - '0';
        }
        return value;
    }

    private static void digits(char[] out, int at, int value, int length) {
        for (int i = at + length - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
