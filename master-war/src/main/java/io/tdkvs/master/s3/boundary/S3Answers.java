package io.tdkvs.master.s3.boundary;

import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import io.tdkvs.master.errors.Reason;
import io.tdkvs.master.errors.StoreException;
import io.tdkvs.master.keys.entity.InvalidKeyException;
import io.tdkvs.master.s3.control.PayloadException;
import io.tdkvs.master.s3.entity.S3Error;
import io.tdkvs.master.s3.entity.S3Exception;
import io.tdkvs.master.s3.signature.SignatureException;

/**
 * Failures of S3 requests as S3 answers them: an XML error document with S3's code, a message and the
 * resource. A HEAD is answered the document's type and length without its bytes (an answer with no
 * document at all would be the container's own HTML error page). The store's own failures take the S3
 * code that says the same.
 */
public final class S3Answers {

    private static final Logger LOG = Logger.getLogger(S3Answers.class.getName());

    private S3Answers() {
    }

    /** The answer to an S3 request that failed with {@code failure}. */
    public static Response of(Throwable failure) {
        S3Exception error = s3(failure);
        String requestId = requestId();
        Response.ResponseBuilder answer = Response.status(error.status()).header("x-amz-request-id", requestId);
        if (error.status() == 503) {
            answer.header("Retry-After", 1);
        }
        if (error.status() == 304) {
            return answer.build();
        }
        String body = Xml.plain("Error").element("Code", error.code()).element("Message", error.getMessage())
                .element("Resource", error.resource()).element("RequestId", requestId).end("Error");
        return answer.type("application/xml").entity(body).build();
    }

    static S3Exception s3(Throwable failure) {
        if (failure instanceof S3Exception s3) {
            return s3;
        }
        if (failure instanceof SignatureException signature) {
            return new S3Exception(signature.code().s3Code(), signature.code().status(), signature.getMessage(), "");
        }
        if (failure instanceof PayloadException payload) {
            return new S3Exception(payload.error(), payload.getMessage(), "");
        }
        if (failure instanceof InvalidKeyException invalid) {
            return new S3Exception(invalid.problem() == InvalidKeyException.Problem.TOO_LONG ? S3Error.KEY_TOO_LONG
                    : S3Error.INVALID_ARGUMENT, invalid.getMessage(), "");
        }
        if (failure instanceof StoreException store) {
            return new S3Exception(error(store.reason()), store.getMessage(), "");
        }
        if (failure instanceof WebApplicationException web) {
            int status = web.getResponse().getStatus();
            return switch (status) {
                case 404 -> new S3Exception(S3Error.INVALID_REQUEST, "not an S3 request", "");
                case 405 -> new S3Exception(S3Error.METHOD_NOT_ALLOWED, "this method is not allowed here", "");
                case 415 -> new S3Exception(S3Error.INVALID_REQUEST, "the content type of the request is not accepted", "");
                default -> status < 500 ? new S3Exception(S3Error.INVALID_REQUEST, String.valueOf(web.getMessage()), "")
                        : new S3Exception(S3Error.INTERNAL_ERROR, "internal error; see the master's log", "");
            };
        }
        LOG.log(Level.SEVERE, "unexpected failure of an S3 request", failure);
        return new S3Exception(S3Error.INTERNAL_ERROR, "internal error; see the master's log", "");
    }

    private static S3Error error(Reason reason) {
        return switch (reason) {
            case NO_SUCH_KEY -> S3Error.NO_SUCH_KEY;
            case VALUE_BROKE_OFF -> S3Error.INCOMPLETE_BODY;
            case RANGE_OUTSIDE_VALUE -> S3Error.INVALID_RANGE;
            case INVALID_PAGE, INVALID_CHANGE -> S3Error.INVALID_ARGUMENT;
            case NOT_AUTHENTICATED, CHANGES_DISABLED -> S3Error.ACCESS_DENIED;
            case VOLUME_UNAVAILABLE, NOT_SERVING, NO_LEADER, NO_QUORUM, COMMIT_UNCERTAIN, VOLUME_FULL -> S3Error.SERVICE_UNAVAILABLE;
            default -> S3Error.INTERNAL_ERROR;
        };
    }

    private static String requestId() {
        return Long.toHexString(UUID.randomUUID().getMostSignificantBits()).toUpperCase(java.util.Locale.ROOT);
    }
}
