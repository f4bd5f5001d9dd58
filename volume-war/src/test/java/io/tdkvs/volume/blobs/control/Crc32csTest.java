package io.tdkvs.volume.blobs.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.zip.CRC32C;

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

    private static int crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }
}
