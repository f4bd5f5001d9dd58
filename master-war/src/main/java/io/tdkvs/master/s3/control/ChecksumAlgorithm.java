package io.tdkvs.master.s3.control;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * The checksums S3 clients send with an upload ({@code x-amz-checksum-<name>}, in a header or in the
 * trailer of a streamed body), each the base64 of its big-endian value.
 */
public enum ChecksumAlgorithm {
    CRC32, CRC32C, CRC64NVME, SHA1, SHA256;

    /** The header (or trailer) that carries this checksum. */
    public String header() {
        return "x-amz-checksum-" + name().toLowerCase(Locale.ROOT);
    }

    /** The algorithm of an {@code x-amz-checksum-*} header name; empty if it is not one tdkvs knows. */
    public static Optional<ChecksumAlgorithm> ofHeader(String header) {
        for (ChecksumAlgorithm algorithm : values()) {
            if (algorithm.header().equalsIgnoreCase(header.strip())) {
                return Optional.of(algorithm);
            }
        }
        return Optional.empty();
    }

    /** A running computation of this checksum. */
    public Running start() {
        return switch (this) {
            case CRC32 -> new OfChecksum(new CRC32(), 4);
            case CRC32C -> new OfChecksum(new CRC32C(), 4);
            case CRC64NVME -> new Crc64Nvme();
            case SHA1 -> new OfDigest("SHA-1");
            case SHA256 -> new OfDigest("SHA-256");
        };
    }

    /** A checksum being computed over bytes as they pass. */
    public interface Running {

        void update(byte[] bytes, int offset, int length);

        /** The checksum of the bytes so far, as base64. */
        String base64();
    }

    private static final class OfChecksum implements Running {

        private final Checksum checksum;
        private final int bytes;

        OfChecksum(Checksum checksum, int bytes) {
            this.checksum = checksum;
            this.bytes = bytes;
        }

        @Override
        public void update(byte[] data, int offset, int length) {
            checksum.update(data, offset, length);
        }

        @Override
        public String base64() {
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(bytes).putInt((int) checksum.getValue()).array());
        }
    }

    private static final class OfDigest implements Running {

        private final MessageDigest digest;

        OfDigest(String algorithm) {
            try {
                digest = MessageDigest.getInstance(algorithm);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("this Java has no " + algorithm, e);
            }
        }

        @Override
        public void update(byte[] data, int offset, int length) {
            digest.update(data, offset, length);
        }

        @Override
        public String base64() {
            return Base64.getEncoder().encodeToString(digest.digest());
        }
    }

    /** CRC-64/NVME: reflected, polynomial 0xAD93D23594C93659, initial value and final xor all ones. */
    private static final class Crc64Nvme implements Running {

        private static final long[] TABLE = new long[256];

        static {
            long reflected = 0x9A6C9329AC4BC9B5L;
            for (int i = 0; i < 256; i++) {
                long crc = i;
                for (int bit = 0; bit < 8; bit++) {
                    crc = (crc & 1) != 0 ? (crc >>> 1) ^ reflected : crc >>> 1;
                }
                TABLE[i] = crc;
            }
        }

        private long crc = -1L;

        @Override
        public void update(byte[] data, int offset, int length) {
            long value = crc;
            for (int i = offset; i < offset + length; i++) {
                value = TABLE[(int) ((value ^ data[i]) & 0xff)] ^ (value >>> 8);
            }
            crc = value;
        }

        @Override
        public String base64() {
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(8).putLong(~crc).array());
        }
    }
}
