package io.tdkvs.volume.blobs.control;

/**
 * CRC32C of values joined end to end, from the CRC32C and length of each, without reading them: the
 * check of a composed blob is known from its segments' alone.
 * <p>
 * The CRC of {@code a} followed by {@code b} is the CRC of {@code a} carried through {@code b.length}
 * zero bytes, then XORed with the CRC of {@code b}. Carrying a CRC through {@code n} zero bytes multiplies
 * it, as a polynomial over GF(2) modulo the CRC's, by {@code x^(8n)}; that power is the product of the
 * powers {@code x^(2^k)} for the bits {@code k} set in {@code 8n}, kept in a table. A combination
 * thus costs a few dozen 32-step multiplications, and one for a length already carried
 * ({@link #shift}) just one.
 */
final class Crc32cs {

    /** The CRC32C polynomial, bit-reversed, as {@link java.util.zip.CRC32C} computes it. */
    private static final int POLYNOMIAL = 0x82F63B78;
    /** The polynomial 1 ({@code x^0}) in the reversed representation: the top bit is the lowest power. */
    private static final int ONE = 1 << 31;
    /** {@code x^(2^k)} modulo the polynomial, for every k that {@code 8 length} can have a bit at. */
    private static final int[] POWERS = new int[3 + Long.SIZE];

    static {
        int power = ONE >>> 1; // x^1
        for (int k = 0; k < POWERS.length; k++) {
            POWERS[k] = power;
            power = times(power, power);
        }
    }

    private Crc32cs() {
    }

    /** The CRC32C of the value whose CRC32C is {@code first} followed by one of {@code secondLength} bytes whose CRC32C is {@code second}. */
    static int combine(int first, int second, long secondLength) {
        return combine(first, second, shift(secondLength));
    }

    /** As {@link #combine(int, int, long)}, with the second value's length given as its {@link #shift}. */
    static int combine(int first, int second, Shift secondShift) {
        return times(secondShift.power(), first) ^ second;
    }

    /** What carries a CRC through a number of zero bytes: {@code x^(8 length)} modulo the polynomial. */
    record Shift(int power) {
    }

    /** What carries a CRC through {@code length} zero bytes. */
    static Shift shift(long length) {
        if (length < 0) {
            throw new IllegalArgumentException("a length below 0: " + length);
        }
        int shift = ONE;
        int k = 3; // 8 bits a byte
        for (long bits = length; bits != 0; bits >>>= 1, k++) {
            if ((bits & 1) != 0) {
                shift = times(POWERS[k], shift);
            }
        }
        return new Shift(shift);
    }

    /** The product of two polynomials modulo the CRC's, in the reversed representation. */
    private static int times(int a, int b) {
        int product = 0;
        for (int bit = ONE; a != 0 && bit != 0; bit >>>= 1) {
            if ((a & bit) != 0) {
                product ^= b;
                a ^= bit;
            }
            b = (b & 1) != 0 ? (b >>> 1) ^ POLYNOMIAL : b >>> 1;
        }
        return product;
    }
}
