package io.tdkvs.master.s3.signature;

/** A request whose signature does not let it in, with the S3 error code that says why. */
public final class SignatureException extends RuntimeException {

    /** The S3 error codes of a refused signature; 403 for a signature that does not let the request in, 400 for one that cannot be read. */
    public enum Code {
        ACCESS_DENIED("AccessDenied", 403),
        AUTHORIZATION_HEADER_MALFORMED("AuthorizationHeaderMalformed", 400),
        AUTHORIZATION_QUERY_PARAMETERS_ERROR("AuthorizationQueryParametersError", 400),
        INVALID_ACCESS_KEY_ID("InvalidAccessKeyId", 403),
        INVALID_ARGUMENT("InvalidArgument", 400),
        INVALID_REQUEST("InvalidRequest", 400),
        REQUEST_TIME_TOO_SKEWED("RequestTimeTooSkewed", 403),
        SIGNATURE_DOES_NOT_MATCH("SignatureDoesNotMatch", 403);

        private final String s3Code;
        private final int status;

        Code(String s3Code, int status) {
            this.s3Code = s3Code;
            this.status = status;
        }

        /** The code as S3 names it in its error document. */
        public String s3Code() {
            return s3Code;
        }

        public int status() {
            return status;
        }
    }

    private final Code code;

    public SignatureException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
