package io.tdkvs.master.s3.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;

class AmzDateTest {

    private static final DateTimeFormatter REFERENCE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    @Test
    void readsAndWritesAsTheFormatterDoes() {
        assertEquals("20130524T000000Z", AmzDate.format(Instant.parse("2013-05-24T00:00:00Z")));
        assertEquals(Optional.of(Instant.parse("2013-05-24T00:00:00Z")), AmzDate.parse("20130524T000000Z"));
        Random random = new Random(3);
        for (int i = 0; i < 100_000; i++) {
            Instant time = Instant.ofEpochSecond(random.nextLong(0, 253_402_300_799L)); // to 9999-12-31T23:59:59Z
            String text = AmzDate.format(time);
            assertEquals(REFERENCE.format(time), text);
            assertEquals(Optional.of(time), AmzDate.parse(text));
        }
    }

    @Test
    void refusesWhatIsNotSuchATime() {
        for (String bad : new String[] {"", "20130524T000000", "20130524T000000ZZ", "20130524 000000Z", "2013-524T000000Z",
                "20131324T000000Z", "20130230T000000Z", "20130524T240000Z", "20130524T006000Z", "20130524T000060Z",
                "+0130524T000000Z", "２0130524T000000Z", "20130524t000000Z"}) {
            assertTrue(AmzDate.parse(bad).isEmpty(), bad);
        }
    }

    @Test
    void headerValuesAreTrimmedWithRunsOfSpacesMadeOne() {
        assertEquals("a b c", SignedRequest.canonical("  a   b c  "));
        assertEquals("abc", SignedRequest.canonical("abc"));
        assertEquals("a\tb", SignedRequest.canonical("a\tb"));
        assertEquals("", SignedRequest.canonical("   "));
    }
}
