package io.tdkvs.volume.blobs.control;

/**
 * CRC32C of values joined end to end, from the CRC32C and length of each, without reading them: the
 * check of a composed blob is known from its segments' alone. The CRC of {@code a} followed by {@code b}
 * is the CRC of {@code a} carried through {@code b.length} zero bytes, then XORed with the CRC of
 * {@code b}; carrying through zeros is a linear map over GF(2), applied by repeated squaring, so the cost
 * grows with the logarithm of the length.
 */
final class Crc32cs {

    /** The CRC32C polynomial, bit-reversed, as {@link java.util.zip.CRC32C} computes it. */
    private static final long POLYNOMIAL = 0x82F63B78L;

    private Crc32cs() {
    }

    /** The CRC32C of the value whose CRC32C is {@code first} followed by one of {@code secondLength} bytes whose CRC32C is {@code second}. */
    static int combine(int first, int second, long secondLength) {
        if (secondLength < 0) {
            throw new IllegalArgumentException("a length below 0: " + secondLength);
        }
        if (secondLength == 0) {
            return first;
        }
        long[] odd = new long[32];
        long[] even = new long[32];
        odd[0] = POLYNOMIAL; // one zero bit
        for (int bit = 1; bit < 32; bit++) {
            odd[bit] = 1L << (bit - 1);
        }
        square(even, odd); // two zero bits
        square(odd, even); // four
        long crc = first & 0xffffffffL;
        long length = secondLength;
        while (true) {
            square(even, odd); // a byte the first time round, then four times as many each time
            if ((length & 1) != 0) {
                crc = times(even, crc);
            }
            length >>>= 1;
            if (length == 0) {
                break;
            }
            square(odd, even);
            if ((length & 1) != 0) {
                crc = times(odd, crc);
            }
            length >>>= 1;
            if (length == 0) {
                break;
            }
        }
        return (int) (crc ^ (second & 0xffffffffL));
    }

    private static long times(long[] matrix, long vector) {
        long sum = 0;
        for (int row = 0; vector != 0; row++, vector >>>= 1) {
            if ((vector & 1) != 0) {
                sum ^= matrix[row];
            }
        }
        return sum;
    }

    private static void square(long[] square, long[] matrix) {
        for (int row = 0; row < 32; row++) {
            square[row] = times(matrix, matrix[row]);
        }
    }
}
