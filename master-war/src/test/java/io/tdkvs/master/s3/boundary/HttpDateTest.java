package io.tdkvs.master.s3.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class HttpDateTest {

    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);

    @Test
    void writesTheImfFixdateOfRfc9110() {
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", HttpDate.format(Instant.parse("1994-11-06T08:49:37.999Z")));
        assertEquals("Thu, 01 Jan 1970 00:00:00 GMT", HttpDate.format(Instant.EPOCH));
        assertEquals("Fri, 31 Dec 9999 23:59:59 GMT", HttpDate.format(Instant.parse("9999-12-31T23:59:59Z")));
    }

    @Test
    void agreesWithDateTimeFormatterOnAHundredThousandTimes() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            Instant time = Instant.ofEpochSecond(random.nextLong(-62_135_596_800L, 253_402_300_800L));
            assertEquals(IMF_FIXDATE.format(time), HttpDate.format(time), time::toString);
        }
    }

    @Test
    void refusesYearsItCannotWrite() {
        assertThrows(DateTimeException.class, () -> HttpDate.format(Instant.parse("+10000-01-01T00:00:00Z")));
        assertThrows(DateTimeException.class, () -> HttpDate.format(Instant.parse("-0001-12-31T23:59:59Z")));
    }
}
