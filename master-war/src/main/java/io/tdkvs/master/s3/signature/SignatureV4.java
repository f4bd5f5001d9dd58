package io.tdkvs.master.s3.signature;

import static io.tdkvs.master.s3.signature.SignatureException.Code.ACCESS_DENIED;
import static io.tdkvs.master.s3.signature.SignatureException.Code.AUTHORIZATION_HEADER_MALFORMED;
import static io.tdkvs.master.s3.signature.SignatureException.Code.AUTHORIZATION_QUERY_PARAMETERS_ERROR;
import static io.tdkvs.master.s3.signature.SignatureException.Code.INVALID_ACCESS_KEY_ID;
import static io.tdkvs.master.s3.signature.SignatureException.Code.INVALID_ARGUMENT;
import static io.tdkvs.master.s3.signature.SignatureException.Code.INVALID_REQUEST;
import static io.tdkvs.master.s3.signature.SignatureException.Code.REQUEST_TIME_TOO_SKEWED;
import static io.tdkvs.master.s3.signature.SignatureException.Code.SIGNATURE_DOES_NOT_MATCH;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Checks an S3 request's Signature Version 4, in its {@code Authorization} header or in a presigned URL's
 * query, against the secrets of the access keys it knows, as S3 does: the region of the signature's scope
 * must be this endpoint's, a request more than 15 minutes from this clock is refused, and a presigned URL
 * holds until it expires (at most a week). What the signature says of the payload is for the caller to
 * hold the body to.
 */
public final class SignatureV4 {

    public static final String ALGORITHM = "AWS4-HMAC-SHA256";
    public static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    public static final String STREAMING_SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
    public static final String STREAMING_SIGNED_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
    public static final String STREAMING_UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
    static final Duration SKEW = Duration.ofMinutes(15);
    static final long MAX_EXPIRES_SECONDS = Duration.ofDays(7).toSeconds();

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final Set<String> PAYLOAD_FORMS = Set.of(UNSIGNED_PAYLOAD, STREAMING_SIGNED, STREAMING_SIGNED_TRAILER,
            STREAMING_UNSIGNED_TRAILER);

    private final String region;
    private final Function<String, Optional<String>> secrets;
    private final Clock clock;

    /** @param secrets the secret of an access key, if it is one of this endpoint's */
    public SignatureV4(String region, Function<String, Optional<String>> secrets, Clock clock) {
        this.region = region;
        this.secrets = secrets;
        this.clock = clock;
    }

    /** The signer of {@code request}, if its signature matches; else why not, as an S3 error code. */
    public Authenticated verify(SignedRequest request) {
        Optional<String> header = request.header("authorization");
        boolean presigned = request.queryParameter("X-Amz-Algorithm").isPresent();
        if (header.isPresent() && presigned) {
            throw new SignatureException(INVALID_ARGUMENT, "only one auth mechanism allowed: the Authorization header "
                    + "or the X-Amz-Algorithm query parameter, not both");
        }
        if (presigned) {
            return verifyQuery(request);
        }
        return verifyHeader(request, header.orElseThrow(() -> new SignatureException(ACCESS_DENIED,
                "the request is not signed: sign it with AWS Signature Version 4")));
    }

    private Authenticated verifyHeader(SignedRequest request, String authorization) {
        if (!authorization.startsWith(ALGORITHM + " ")) {
            throw new SignatureException(INVALID_REQUEST, "the authorization mechanism you have provided is not supported; "
                    + "use " + ALGORITHM);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : authorization.substring(ALGORITHM.length() + 1).split(",")) {
            int equals = part.indexOf('=');
            if (equals > 0) {
                fields.put(part.substring(0, equals).strip(), part.substring(equals + 1).strip());
            }
        }
        String credential = required(fields, "Credential", AUTHORIZATION_HEADER_MALFORMED);
        String signedHeaders = required(fields, "SignedHeaders", AUTHORIZATION_HEADER_MALFORMED);
        String signature = required(fields, "Signature", AUTHORIZATION_HEADER_MALFORMED);
        Instant time = requestTime(request);
        long skew = Duration.between(time, clock.instant()).abs().toSeconds();
        if (skew > SKEW.toSeconds()) {
            throw new SignatureException(REQUEST_TIME_TOO_SKEWED, "the difference between the request time ("
                    + AmzDate.format(time) + ") and the server's time (" + AmzDate.format(clock.instant())
                    + ") is more than 15 minutes");
        }
        String payload = request.header("x-amz-content-sha256").orElseThrow(() -> new SignatureException(INVALID_REQUEST,
                "missing required header for this request: x-amz-content-sha256"));
        if (!PAYLOAD_FORMS.contains(payload) && !SHA256_HEX.matcher(payload).matches()) {
            throw new SignatureException(INVALID_ARGUMENT, "x-amz-content-sha256 must be " + UNSIGNED_PAYLOAD
                    + ", a streaming form (" + STREAMING_SIGNED + ", ...) or the hex SHA-256 of the body: " + payload);
        }
        return check(request, credential, signedHeaders, signature, AmzDate.format(time), payload, false,
                AUTHORIZATION_HEADER_MALFORMED);
    }

    private Authenticated verifyQuery(SignedRequest request) {
        Map<String, String> fields = new LinkedHashMap<>();
        request.queryParameters().forEach(p -> fields.putIfAbsent(p.getKey(), p.getValue()));
        String algorithm = required(fields, "X-Amz-Algorithm", AUTHORIZATION_QUERY_PARAMETERS_ERROR);
        if (!algorithm.equals(ALGORITHM)) {
            throw new SignatureException(AUTHORIZATION_QUERY_PARAMETERS_ERROR, "X-Amz-Algorithm only supports " + ALGORITHM);
        }
        String credential = required(fields, "X-Amz-Credential", AUTHORIZATION_QUERY_PARAMETERS_ERROR);
        String amzDate = required(fields, "X-Amz-Date", AUTHORIZATION_QUERY_PARAMETERS_ERROR);
        String expires = required(fields, "X-Amz-Expires", AUTHORIZATION_QUERY_PARAMETERS_ERROR);
        String signedHeaders = required(fields, "X-Amz-SignedHeaders", AUTHORIZATION_QUERY_PARAMETERS_ERROR);
        String signature = required(fields, "X-Amz-Signature", AUTHORIZATION_QUERY_PARAMETERS_ERROR);
        Instant time = parseAmzDate(amzDate, AUTHORIZATION_QUERY_PARAMETERS_ERROR);
        long seconds;
        try {
            seconds = Long.parseLong(expires);
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        if (seconds < 1 || seconds > MAX_EXPIRES_SECONDS) {
            throw new SignatureException(AUTHORIZATION_QUERY_PARAMETERS_ERROR, "X-Amz-Expires must be a number of seconds "
                    + "from 1 to " + MAX_EXPIRES_SECONDS + " (a week): " + expires);
        }
        Instant now = clock.instant();
        if (now.isBefore(time.minus(SKEW))) {
            throw new SignatureException(ACCESS_DENIED, "request is not valid yet: it is signed for " + amzDate);
        }
        if (now.isAfter(time.plusSeconds(seconds))) {
            throw new SignatureException(ACCESS_DENIED, "request has expired: it was valid until "
                    + AmzDate.format(time.plusSeconds(seconds)));
        }
        String payload = fields.getOrDefault("X-Amz-Content-Sha256", UNSIGNED_PAYLOAD);
        return check(request, credential, signedHeaders, signature, amzDate, payload, true,
                AUTHORIZATION_QUERY_PARAMETERS_ERROR);
    }

    /** Checks the scope, then computes the signature and compares it with the one sent. */
    private Authenticated check(SignedRequest request, String credential, String signedHeaders, String sent, String amzDate,
                                String payload, boolean presigned, SignatureException.Code malformed) {
        String[] scope = credential.split("/", -1);
        if (scope.length != 5 || scope[0].isEmpty()) {
            throw new SignatureException(malformed, "the credential must be <access key>/<date>/<region>/s3/aws4_request: "
                    + credential);
        }
        if (!scope[1].equals(amzDate.substring(0, 8))) {
            throw new SignatureException(malformed, "the credential's date " + scope[1] + " is not the request's, "
                    + amzDate.substring(0, 8));
        }
        if (!scope[2].equals(region)) {
            throw new SignatureException(malformed, "the region '" + scope[2] + "' is wrong; expecting '" + region + "'");
        }
        if (!scope[3].equals("s3") || !scope[4].equals("aws4_request")) {
            throw new SignatureException(malformed, "the credential's scope must end in /s3/aws4_request: " + credential);
        }
        List<String> headerNames = Arrays.asList(signedHeaders.split(";"));
        if (!headerNames.contains("host")) {
            throw new SignatureException(malformed, "the signed headers must include host: " + signedHeaders);
        }
        String secret = secrets.apply(scope[0]).orElseThrow(() -> new SignatureException(INVALID_ACCESS_KEY_ID,
                "the access key ID " + scope[0] + " does not exist in this store's records"));
        String canonical = canonicalRequest(request, headerNames, payload, presigned);
        String scopeText = String.join("/", Arrays.copyOfRange(scope, 1, 5));
        String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + scopeText + "\n"
                + SigningKey.hex(SigningKey.sha256(canonical.getBytes(StandardCharsets.UTF_8)));
        byte[] key = SigningKey.cached(secret, scope[1], scope[2]);
        String computed = SigningKey.hex(SigningKey.hmac(key, stringToSign));
        if (!Authenticated.same(computed, sent)) {
            throw new SignatureException(SIGNATURE_DOES_NOT_MATCH, "the request signature we calculated does not match "
                    + "the signature you provided; check your key and signing method");
        }
        return new Authenticated(scope[0], payload, computed, amzDate, scopeText, key);
    }

    /** The canonical request of Signature Version 4, which the string to sign hashes. */
    static String canonicalRequest(SignedRequest request, List<String> headerNames, String payload, boolean presigned) {
        StringBuilder out = new StringBuilder(256).append(request.method()).append('\n');
        String path = request.rawPath().isEmpty() ? "/" : request.rawPath();
        out.append(UriEncoding.canonical(path, true)).append('\n');
        out.append(canonicalQuery(request, presigned)).append('\n');
        for (String name : headerNames) {
            out.append(name).append(':').append(request.header(name).orElse("")).append('\n');
        }
        return out.append('\n').append(String.join(";", headerNames)).append('\n').append(payload).toString();
    }

    private static String canonicalQuery(SignedRequest request, boolean presigned) {
        List<String[]> pairs = new ArrayList<>();
        for (Map.Entry<String, String> sent : request.sentQueryParameters()) {
            String name = UriEncoding.canonical(sent.getKey(), false);
            if (!(presigned && name.equals("X-Amz-Signature"))) {
                pairs.add(new String[] {name, UriEncoding.canonical(sent.getValue(), false)});
            }
        }
        pairs.sort(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]));
        return String.join("&", pairs.stream().map(p -> p[0] + "=" + p[1]).toList());
    }

    /** The request's time: {@code x-amz-date}, else {@code Date}. */
    private static Instant requestTime(SignedRequest request) {
        Optional<String> amzDate = request.header("x-amz-date");
        if (amzDate.isPresent()) {
            return parseAmzDate(amzDate.get(), AUTHORIZATION_HEADER_MALFORMED);
        }
        String date = request.header("date").orElseThrow(() -> new SignatureException(ACCESS_DENIED,
                "AWS authentication requires a valid Date or x-amz-date header"));
        try {
            return ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new SignatureException(ACCESS_DENIED, "AWS authentication requires a valid Date or x-amz-date header: "
                    + date);
        }
    }

    private static Instant parseAmzDate(String text, SignatureException.Code malformed) {
        return AmzDate.parse(text).orElseThrow(() -> new SignatureException(malformed,
                "the date must be yyyyMMdd'T'HHmmss'Z': " + text));
    }

    private static String required(Map<String, String> fields, String name, SignatureException.Code code) {
        String value = fields.get(name);
        if (value == null || value.isEmpty()) {
            throw new SignatureException(code, name + " is missing");
        }
        return value;
    }
}
