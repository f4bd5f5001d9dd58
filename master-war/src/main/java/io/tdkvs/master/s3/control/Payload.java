package io.tdkvs.master.s3.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

import io.tdkvs.master.s3.entity.S3Error;
import io.tdkvs.master.s3.entity.S3Exception;
import io.tdkvs.master.s3.signature.Authenticated;
import io.tdkvs.master.s3.signature.SignatureV4;

/**
 * The body of an S3 upload as the store reads it: decoded from {@code aws-chunked} if it was streamed
 * (each chunk's signature checked, chained from the request's, and the trailer's), and checked against
 * what its headers and trailer say of it: the SHA-256 the request was signed with, {@code Content-MD5},
 * {@code x-amz-checksum-*}, and its decoded length. A body that does not match fails as it ends, with
 * a {@link PayloadException} that carries S3's code, so that nothing of it is stored.
 */
public final class Payload extends InputStream {

    private static final int MAX_LINE = 4096;

    private final InputStream raw;
    private final Authenticated auth;
    private final boolean chunked;
    private final boolean signedChunks;
    private final OptionalLong length;
    private final Optional<MessageDigest> sha256;
    private final Optional<MessageDigest> md5;
    private final Optional<String> expectedMd5;
    private final Map<ChecksumAlgorithm, ChecksumAlgorithm.Running> checksums = new LinkedHashMap<>();
    private final Map<ChecksumAlgorithm, String> expectedChecksums = new LinkedHashMap<>();
    private final Optional<ChecksumAlgorithm> trailer;
    private final MessageDigest chunkDigest;
    private String previousSignature;
    private long chunkLeft;
    private String chunkSignature;
    private long read;
    private boolean ended;
    private PayloadException failure;

    private Payload(InputStream raw, Authenticated auth, Function<String, Optional<String>> header) {
        this.raw = raw;
        this.auth = auth;
        String hash = auth.payloadHash();
        this.chunked = hash.startsWith("STREAMING-");
        this.signedChunks = hash.equals(SignatureV4.STREAMING_SIGNED) || hash.equals(SignatureV4.STREAMING_SIGNED_TRAILER);
        this.previousSignature = auth.signature();
        this.chunkDigest = signedChunks ? digest("SHA-256") : null;
        if (chunked) {
            String decoded = header.apply("x-amz-decoded-content-length").orElseThrow(() -> new S3Exception("MissingContentLength", 411,
                    "a streamed upload (" + hash + ") needs x-amz-decoded-content-length", ""));
            this.length = OptionalLong.of(number(decoded, "x-amz-decoded-content-length"));
        } else {
            this.length = header.apply("content-length").map(value -> OptionalLong.of(number(value, "Content-Length")))
                    .orElse(OptionalLong.empty());
        }
        this.sha256 = hash.matches("[0-9a-f]{64}") ? Optional.of(digest("SHA-256")) : Optional.empty();
        this.expectedMd5 = header.apply("content-md5").map(String::strip);
        this.md5 = expectedMd5.map(value -> digest("MD5"));
        expectedMd5.ifPresent(value -> {
            byte[] decoded = base64(value, S3Error.INVALID_DIGEST, "Content-MD5");
            if (decoded.length != 16) {
                throw new S3Exception(S3Error.INVALID_DIGEST, "Content-MD5 is not the base64 of 16 bytes", "");
            }
        });
        for (ChecksumAlgorithm algorithm : ChecksumAlgorithm.values()) {
            header.apply(algorithm.header()).ifPresent(value -> {
                base64(value, S3Error.INVALID_REQUEST, algorithm.header());
                expectedChecksums.put(algorithm, value.strip());
                checksums.put(algorithm, algorithm.start());
            });
        }
        Optional<String> trailerHeader = header.apply("x-amz-trailer");
        if (trailerHeader.isPresent() && !chunked) {
            throw new S3Exception(S3Error.INVALID_REQUEST, "x-amz-trailer needs a streamed (aws-chunked) body", "");
        }
        this.trailer = trailerHeader.map(name -> ChecksumAlgorithm.ofHeader(name).orElseThrow(() -> new S3Exception(
                S3Error.INVALID_REQUEST, "x-amz-trailer names " + name + ", not a checksum tdkvs knows ("
                + java.util.Arrays.stream(ChecksumAlgorithm.values()).map(ChecksumAlgorithm::header).toList() + ")", "")));
        trailer.ifPresent(algorithm -> checksums.putIfAbsent(algorithm, algorithm.start()));
        if (hash.endsWith("-TRAILER") && trailer.isEmpty()) {
            throw new S3Exception(S3Error.INVALID_REQUEST, hash + " needs an x-amz-trailer header", "");
        }
    }

    /** The body of a request signed as {@code auth} says, with its headers by lower-case name. */
    public static Payload of(InputStream raw, Authenticated auth, Function<String, Optional<String>> header) {
        return new Payload(raw, auth, header);
    }

    /** The length of the value (decoded, if streamed), if the request says it. */
    public OptionalLong length() {
        return length;
    }

    /**
     * The MD5 of the body in hex, as its Content-MD5 says, if it says: the body fails at its end unless its
     * bytes match it, so a value stored from it (which is committed only once the body ended well) has it.
     */
    public Optional<String> contentMd5Hex() {
        return expectedMd5.map(value -> HexFormat.of().formatHex(Base64.getDecoder().decode(value)));
    }

    /** What was wrong with the body, if it failed its checks. */
    public Optional<PayloadException> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int count) throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (ended) {
            return -1;
        }
        if (count == 0) {
            return 0;
        }
        try {
            int n = chunked ? readChunked(buffer, offset, count) : raw.read(buffer, offset, count);
            if (n < 0) {
                end();
                return -1;
            }
            passed(buffer, offset, n);
            return n;
        } catch (PayloadException e) {
            failure = e;
            throw e;
        }
    }

    private int readChunked(byte[] buffer, int offset, int count) throws IOException {
        if (chunkLeft == 0) {
            if (!nextChunk()) {
                return -1;
            }
        }
        int n = raw.read(buffer, offset, (int) Math.min(count, chunkLeft));
        if (n < 0) {
            throw new PayloadException(S3Error.INCOMPLETE_BODY, "the streamed body ended inside a chunk, after " + read + " bytes");
        }
        if (signedChunks) {
            chunkDigest.update(buffer, offset, n);
        }
        chunkLeft -= n;
        if (chunkLeft == 0) {
            endChunk(false);
        }
        return n;
    }

    /** Reads the next chunk's header; false at the last (empty) chunk, whose trailer it then reads and checks. */
    private boolean nextChunk() throws IOException {
        String line = line();
        int semicolon = line.indexOf(';');
        String size = semicolon < 0 ? line : line.substring(0, semicolon);
        long chunkSize;
        try {
            chunkSize = Long.parseLong(size.strip(), 16);
        } catch (NumberFormatException e) {
            throw new PayloadException(S3Error.INCOMPLETE_BODY, "a chunk of the streamed body begins with \"" + abbreviate(line)
                    + "\", not its size in hex");
        }
        if (chunkSize < 0) {
            throw new PayloadException(S3Error.INCOMPLETE_BODY, "a chunk of the streamed body has a negative size");
        }
        chunkSignature = null;
        if (signedChunks) {
            String extension = semicolon < 0 ? "" : line.substring(semicolon + 1).strip();
            if (!extension.startsWith("chunk-signature=")) {
                throw new PayloadException(S3Error.INCOMPLETE_BODY, "a chunk of the signed streamed body has no chunk-signature");
            }
            chunkSignature = extension.substring("chunk-signature=".length());
        }
        chunkLeft = chunkSize;
        if (chunkSize == 0) {
            endChunk(true);
            return false;
        }
        return true;
    }

    /**
     * After a chunk's bytes: checks its signature, and reads the line break that ends a non-empty chunk
     * (the empty last chunk's line is followed by the trailer).
     */
    private void endChunk(boolean last) throws IOException {
        if (signedChunks) {
            String expected = auth.chunkSignature(previousSignature, chunkDigest.digest());
            if (!Authenticated.same(expected, chunkSignature)) {
                throw new PayloadException(S3Error.SIGNATURE_DOES_NOT_MATCH, "the signature of a chunk of the streamed body, after "
                        + read + " bytes, does not match");
            }
            previousSignature = chunkSignature;
        }
        if (!last && !line().isEmpty()) {
            throw new PayloadException(S3Error.INCOMPLETE_BODY, "a chunk of the streamed body is longer than its size says");
        }
    }

    private void passed(byte[] buffer, int offset, int n) throws PayloadException {
        read += n;
        sha256.ifPresent(digest -> digest.update(buffer, offset, n));
        md5.ifPresent(digest -> digest.update(buffer, offset, n));
        checksums.values().forEach(running -> running.update(buffer, offset, n));
        if (length.isPresent() && read > length.getAsLong()) {
            throw new PayloadException(S3Error.INCOMPLETE_BODY, "the body is longer than the " + length.getAsLong()
                    + " bytes its headers announce");
        }
    }

    private void end() throws PayloadException {
        ended = true;
        if (chunked) {
            readTrailer();
        }
        if (length.isPresent() && read != length.getAsLong()) {
            throw fail(S3Error.INCOMPLETE_BODY, "the body has " + read + " bytes, not the " + length.getAsLong()
                    + " its headers announce");
        }
        if (sha256.isPresent() && !HexFormat.of().formatHex(sha256.get().digest()).equals(auth.payloadHash())) {
            throw fail(S3Error.CONTENT_SHA256_MISMATCH, "the SHA-256 of the body is not the x-amz-content-sha256 it was signed with");
        }
        if (md5.isPresent() && !Base64.getEncoder().encodeToString(md5.get().digest()).equals(expectedMd5.orElseThrow())) {
            throw fail(S3Error.BAD_DIGEST, "the MD5 of the body is not its Content-MD5");
        }
        for (Map.Entry<ChecksumAlgorithm, String> expected : expectedChecksums.entrySet()) {
            String computed = checksums.get(expected.getKey()).base64();
            if (!computed.equals(expected.getValue())) {
                throw fail(S3Error.BAD_DIGEST, "the " + expected.getKey().header() + " of the body is " + computed + ", not "
                        + expected.getValue() + " as sent");
            }
        }
    }

    private PayloadException fail(S3Error error, String message) {
        failure = new PayloadException(error, message);
        return failure;
    }

    /** The trailer after the last chunk: header lines up to an empty one, the checksum named by x-amz-trailer among them. */
    private void readTrailer() throws PayloadException {
        try {
            List<String> lines = new ArrayList<>();
            for (String line; !(line = line()).isEmpty(); ) {
                lines.add(line);
                if (lines.size() > 16) {
                    throw fail(S3Error.INCOMPLETE_BODY, "the trailer of the streamed body has too many lines");
                }
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (String line : lines) {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw fail(S3Error.INCOMPLETE_BODY, "a line of the trailer is not name:value: " + abbreviate(line));
                }
                fields.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
            if (trailer.isPresent()) {
                String name = trailer.get().header();
                String value = fields.get(name);
                if (value == null) {
                    throw fail(S3Error.INCOMPLETE_BODY, "the trailer lacks " + name + ", which x-amz-trailer announced");
                }
                expectedChecksums.putIfAbsent(trailer.get(), value);
                if (signedChunks) {
                    String sent = fields.get("x-amz-trailer-signature");
                    if (sent == null) {
                        throw fail(S3Error.INCOMPLETE_BODY, "the trailer of the signed streamed body has no x-amz-trailer-signature");
                    }
                    byte[] canonical = (name + ":" + value + "\n").getBytes(StandardCharsets.UTF_8);
                    String expected = auth.trailerSignature(previousSignature, digest("SHA-256").digest(canonical));
                    if (!Authenticated.same(expected, sent)) {
                        throw fail(S3Error.SIGNATURE_DOES_NOT_MATCH, "the signature of the trailer of the streamed body does not match");
                    }
                }
            } else if (!fields.isEmpty()) {
                throw fail(S3Error.INCOMPLETE_BODY, "the streamed body has a trailer that x-amz-trailer did not announce");
            }
        } catch (PayloadException e) {
            throw e;
        } catch (IOException e) {
            throw fail(S3Error.INCOMPLETE_BODY, "the trailer of the streamed body could not be read: " + e.getMessage());
        }
    }

    /** A line of the chunked framing, without its CRLF; an empty string at the end of the stream. */
    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = raw.read()) >= 0; ) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.UTF_8);
            }
            line.write(b);
            if (line.size() > MAX_LINE) {
                throw new PayloadException(S3Error.INCOMPLETE_BODY, "a line of the streamed body's framing is longer than " + MAX_LINE
                        + " bytes");
            }
        }
        if (line.size() > 0) {
            throw new PayloadException(S3Error.INCOMPLETE_BODY, "the streamed body ended inside a line of its framing");
        }
        return "";
    }

    @Override
    public void close() throws IOException {
        raw.close();
    }

    private static long number(String value, String header) {
        try {
            long number = Long.parseLong(value.strip());
            if (number >= 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new S3Exception(S3Error.INVALID_ARGUMENT, header + " is not a length: " + value, "");
    }

    private static byte[] base64(String value, S3Error error, String header) {
        try {
            return Base64.getDecoder().decode(value.strip());
        } catch (IllegalArgumentException e) {
            throw new S3Exception(error, header + " is not base64: " + value, "");
        }
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no " + algorithm, e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }
}
