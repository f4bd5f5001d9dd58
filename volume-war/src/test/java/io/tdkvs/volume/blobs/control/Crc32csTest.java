package io.tdkvs.volume.blobs.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Crc32csTest {

    @ParameterizedTest
    @CsvSource({"0,0", "0,1", "1,0", "1,1", "3,5", "64,1", "1000,4095", "65536,65537", "70001,200000", "5,1048577"})
    void theCombinedCrcIsTheCrcOfTheJoinedValue(int firstLength, int secondLength) {
        Random random = new Random(firstLength * 31L + secondLength);
        byte[] first = new byte[firstLength];
        byte[] second = new byte[secondLength];
        random.nextBytes(first);
        random.nextBytes(second);
        CRC32C joined = new CRC32C();
        joined.update(first);
        joined.update(second);
        assertEquals((int) joined.getValue(), Crc32cs.combine(crc(first), crc(second), secondLength));
    }

    @ParameterizedTest
    @CsvSource({"1,1", "8388608,8388608", "1099511627776,3", "4294967296,536870912", "9007199254740993,70368744177665"})
    void combiningIsTheSameInEitherOrderForLengthsOfAnySize(long secondLength, long thirdLength) {
        // the CRC of a|b|c, from those of a and b|c or of a|b and c: carrying through both lengths at once is
        // carrying through one then the other, for lengths beyond any test's bytes
        int a = 0x1234_5678;
        int b = 0x9abc_def0;
        int c = 0x0fed_cba9;
        int leftFirst = Crc32cs.combine(Crc32cs.combine(a, b, secondLength), c, thirdLength);
        int rightFirst = Crc32cs.combine(a, Crc32cs.combine(b, c, thirdLength), secondLength + thirdLength);
        assertEquals(leftFirst, rightFirst);
    }

    @Test
    void aLengthBelowZeroIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Crc32cs.shift(-1));
    }

    private static int crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }
}
