package io.tdkvs.master.errors;

/** Every way a client request can fail, with the HTTP status it answers. */
public enum Reason {
    INVALID_KEY(400),
    /** a request to the admin API that does not make sense */
    BAD_REQUEST(400),
    /** an admin change without the right bearer token */
    UNAUTHORIZED(401),
    /** an admin change while the master's config turns them off */
    FORBIDDEN(403),
    /** an admin change that cannot be made now: a migration runs, the volume is already in, ... */
    CONFLICT(409),
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
