package io.tdkvs.master.errors;

/** Every way a client request can fail, with the HTTP status it answers. */
public enum Reason {
    INVALID_KEY(400),
    KEY_TOO_LONG(414),
    INCOMPLETE_BODY(400),
    NOT_FOUND(404),
    /** a volume did not answer */
    VOLUME_UNAVAILABLE(503),
    /** a volume answered, but not as it should (an error, a missing blob, a wrong checksum) */
    VOLUME_FAILED(502),
    VOLUME_FULL(507),
    /** the master is starting, migrating, deleting a volume or stopping */
    NOT_SERVING(503);

    private final int status;

    Reason(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
