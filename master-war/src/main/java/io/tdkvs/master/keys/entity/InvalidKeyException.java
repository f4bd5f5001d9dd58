package io.tdkvs.master.keys.entity;

/** A key that a client sent and that cannot be used; the message says why. */
public class InvalidKeyException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** What is wrong with the key. */
    public enum Problem { EMPTY, TOO_LONG, MALFORMED }

    private final Problem problem;

    public InvalidKeyException(Problem problem, String message) {
        super(message);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
