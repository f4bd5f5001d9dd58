package io.tdkvs.master.s3.entity;

/** A refusal of an S3 request: its S3 error code and status, a message, and the resource it concerns. */
public final class S3Exception extends RuntimeException {

    private final String code;
    private final int status;
    private final String resource;

    public S3Exception(S3Error error, String message, String resource) {
        this(error.code(), error.status(), message, resource);
    }

    public S3Exception(String code, int status, String message, String resource) {
        super(message);
        this.code = code;
        this.status = status;
        this.resource = resource;
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    /** The bucket or object concerned, as a path ({@code /bucket/key}); empty for the service. */
    public String resource() {
        return resource;
    }
}
