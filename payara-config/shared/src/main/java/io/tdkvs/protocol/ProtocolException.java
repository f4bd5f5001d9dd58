package io.tdkvs.protocol;

/** Bytes that do not follow the volume protocol; the message says what was expected. */
public class ProtocolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message);
    }
}
