package io.tdkvs.volume.errors;

/** Every way a volume request can fail, with the HTTP status it answers. */
public enum Reason {
    BAD_REQUEST(400),
    INCOMPLETE_BODY(400),
    NOT_FOUND(404),
    STORAGE_FULL(507),
    STORAGE_FAILED(500);

    private final int status;

    Reason(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
