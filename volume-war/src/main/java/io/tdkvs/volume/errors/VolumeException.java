package io.tdkvs.volume.errors;

/** A volume request that failed for a known reason; the message is meant for the caller. */
public class VolumeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Reason reason;

    public VolumeException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public VolumeException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
