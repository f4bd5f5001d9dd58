package io.tdkvs.master.errors;

/** A request that failed for a known reason; the message is meant for the client. */
public class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Reason reason;

    public StoreException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public StoreException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
