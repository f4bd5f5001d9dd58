package io.tdkvs.master.s3.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import io.tdkvs.master.s3.entity.S3Error;
import io.tdkvs.master.s3.signature.Authenticated;
import io.tdkvs.master.s3.signature.SignatureV4;

class PayloadTest {

    /** AWS's worked example of a streamed upload (Signature Version 4, "Example: PUT Object"). */
    private static final String SEED = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    @Test
    void aSignedStreamDecodesToItsBytesWithEveryChunkSignatureChecked() throws IOException {
        byte[] decoded = read(Payload.of(new ByteArrayInputStream(awsExample(false)), signed(SignatureV4.STREAMING_SIGNED),
                lookup(headers("x-amz-decoded-content-length", "66560"))));
        byte[] as = new byte[66560];
        Arrays.fill(as, (byte) 'a');
        assertArrayEquals(as, decoded);
    }

    @Test
    void aChunkWhoseBytesChangedFailsItsSignature() {
        Payload payload = Payload.of(new ByteArrayInputStream(awsExample(true)), signed(SignatureV4.STREAMING_SIGNED),
                lookup(headers("x-amz-decoded-content-length", "66560")));
        PayloadException e = assertThrows(PayloadException.class, () -> read(payload));
        assertEquals(S3Error.SIGNATURE_DOES_NOT_MATCH, e.error());
        assertEquals(Optional.of(e), payload.failure());
    }

    @Test
    void anUnsignedStreamIsCheckedAgainstTheChecksumInItsTrailer() throws IOException {
        byte[] value = "a value sent in two chunks, with its CRC32 in the trailer".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = headers("x-amz-decoded-content-length", Integer.toString(value.length),
                "x-amz-trailer", "x-amz-checksum-crc32");
        assertArrayEquals(value, read(Payload.of(new ByteArrayInputStream(unsignedStream(value, crc32(value))),
                signed(SignatureV4.STREAMING_UNSIGNED_TRAILER), lookup(headers))));

        Payload wrong = Payload.of(new ByteArrayInputStream(unsignedStream(value, crc32("other".getBytes(StandardCharsets.UTF_8)))),
                signed(SignatureV4.STREAMING_UNSIGNED_TRAILER), lookup(headers));
        assertEquals(S3Error.BAD_DIGEST, assertThrows(PayloadException.class, () -> read(wrong)).error());
    }

    @Test
    void aBodyIsCheckedAgainstItsSignedHashItsMd5AndItsLength() throws Exception {
        byte[] value = "body".getBytes(StandardCharsets.UTF_8);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
        String md5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(value));
        assertArrayEquals(value, read(Payload.of(new ByteArrayInputStream(value), signed(sha256),
                lookup(headers("content-length", "4", "content-md5", md5)))));

        byte[] other = "bodY".getBytes(StandardCharsets.UTF_8);
        assertEquals(S3Error.CONTENT_SHA256_MISMATCH, assertThrows(PayloadException.class,
                () -> read(Payload.of(new ByteArrayInputStream(other), signed(sha256), lookup(headers("content-length", "4"))))).error());
        assertEquals(S3Error.BAD_DIGEST, assertThrows(PayloadException.class, () -> read(Payload.of(new ByteArrayInputStream(other),
                signed(SignatureV4.UNSIGNED_PAYLOAD), lookup(headers("content-md5", md5))))).error());
        assertEquals(S3Error.INCOMPLETE_BODY, assertThrows(PayloadException.class, () -> read(Payload.of(
                new ByteArrayInputStream(value), signed(SignatureV4.UNSIGNED_PAYLOAD), lookup(headers("content-length", "5"))))).error());
    }

    @Test
    void theChecksumsHaveTheirCatalogueCheckValues() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        Map<ChecksumAlgorithm, String> expected = Map.of(
                ChecksumAlgorithm.CRC32, "cbf43926", ChecksumAlgorithm.CRC32C, "e3069283",
                ChecksumAlgorithm.CRC64NVME, "ae8b14860a799888");
        expected.forEach((algorithm, hex) -> {
            ChecksumAlgorithm.Running running = algorithm.start();
            running.update(check, 0, 4);
            running.update(check, 4, 5);
            assertEquals(hex, HexFormat.of().formatHex(Base64.getDecoder().decode(running.base64())), algorithm.name());
        });
    }

    private static byte[] awsExample(boolean tampered) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] first = new byte[65536];
        Arrays.fill(first, (byte) 'a');
        if (tampered) {
            first[1000] = 'b';
        }
        byte[] second = new byte[1024];
        Arrays.fill(second, (byte) 'a');
        body.writeBytes("10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(first);
        body.writeBytes("\r\n400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(second);
        body.writeBytes("\r\n0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        return body.toByteArray();
    }

    private static byte[] unsignedStream(byte[] value, String crc32) {
        int half = value.length / 2;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes((Integer.toHexString(half) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        body.write(value, 0, half);
        body.writeBytes(("\r\n" + Integer.toHexString(value.length - half) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        body.write(value, half, value.length - half);
        body.writeBytes(("\r\n0\r\nx-amz-checksum-crc32:" + crc32 + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return body.toByteArray();
    }

    private static String crc32(byte[] value) {
        CRC32 crc = new CRC32();
        crc.update(value);
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** The example's request as SignatureV4 lets it in: its seed signature and signing key. */
    private static Authenticated signed(String payloadHash) {
        byte[] key = hmac(("AWS4" + SECRET).getBytes(StandardCharsets.UTF_8), "20130524");
        for (String part : new String[] {"us-east-1", "s3", "aws4_request"}) {
            key = hmac(key, part);
        }
        return new Authenticated("AKIAIOSFODNN7EXAMPLE", payloadHash, SEED, "20130524T000000Z", "20130524/us-east-1/s3/aws4_request",
                key);
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> headers(String... pairs) {
        Map<String, String> headers = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            headers.put(pairs[i], pairs[i + 1]);
        }
        return headers;
    }

    private static java.util.function.Function<String, Optional<String>> lookup(Map<String, String> headers) {
        return name -> Optional.ofNullable(headers.get(name));
    }

    private static byte[] read(Payload payload) throws IOException {
        try (payload) {
            return payload.readAllBytes();
        }
    }
}
