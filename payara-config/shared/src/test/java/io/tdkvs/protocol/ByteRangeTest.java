package io.tdkvs.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ByteRangeTest {

    @ParameterizedTest(name = "{0} of {1} bytes -> {2}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "bytes=0-99        | 1000 | 0-99",
            "bytes=990-2000    | 1000 | 990-999",
            "bytes=500-        | 1000 | 500-999",
            "bytes=-100        | 1000 | 900-999",
            "bytes=-5000       | 1000 | 0-999",
            "Bytes = 7 - 7     | 1000 | 7-7",
            "bytes=999-999     | 1000 | 999-999",
            "bytes=1000-       | 1000 | unsatisfiable",
            "bytes=5000-6000   | 1000 | unsatisfiable",
            "bytes=-0          | 1000 | unsatisfiable",
            "bytes=0-          | 0    | unsatisfiable",
            "bytes=-1          | 0    | unsatisfiable",
            "null              | 1000 | whole",
            "bytes=0-1,5-6     | 1000 | whole",
            "bytes=9-3         | 1000 | whole",
            "bytes=-           | 1000 | whole",
            "items=0-9         | 1000 | whole",
            "bytes=a-9         | 1000 | whole",
            "bytes=99999999999999999999- | 1000 | whole"})
    void aSingleRangeIsHonouredAndAnythingElseServesTheWholeValue(String header, long size, String expected) {
        ByteRange.Request request = ByteRange.parse(header, size);
        String actual = request instanceof ByteRange.Part part ? part.range().first() + "-" + part.range().last()
                : request instanceof ByteRange.Unsatisfiable ? "unsatisfiable" : "whole";
        assertEquals(expected, actual);
    }

    @ParameterizedTest
    @CsvSource({"0, 99, 1000, bytes=0-99, bytes 0-99/1000, 100"})
    void itsHeadersAreWrittenAsRfc9110Says(long first, long last, long size, String header, String contentRange, long length) {
        ByteRange range = new ByteRange(first, last);
        assertEquals(header, range.header());
        assertEquals(contentRange, range.contentRange(size));
        assertEquals(length, range.length());
        assertEquals("bytes */1000", ByteRange.unsatisfied(size));
    }
}
