package io.tdkvs.master.s3.control;

import java.io.IOException;

import io.tdkvs.master.s3.entity.S3Error;

/** A request body that is not what its headers or signatures say: read as a failure of the body, answered with its S3 code. */
public final class PayloadException extends IOException {

    private final S3Error error;

    public PayloadException(S3Error error, String message) {
        super(message);
        this.error = error;
    }

    public S3Error error() {
        return error;
    }
}
