package io.tdkvs.runtime;

import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.enterprise.inject.CreationException;

/**
 * Ends the Payara Micro process on behalf of the WAR. Payara keeps a process running (answering 404)
 * when its only application cannot start; for a store that is worse than stopping with the reason.
 * The exit runs on its own thread so that Payara's shutdown hook, which waits for the deployment in
 * progress, does not wait for the thread that asked to exit.
 */
public final class Exit {

    /** Exit status: the configuration or the request to the server is wrong. */
    public static final int USAGE = 2;
    /** Exit status: the work could not be done (e.g. a volume does not answer). */
    public static final int FAILED = 1;

    private Exit() {
    }

    public static void fail(Logger log, int status, String message) {
        log.log(Level.SEVERE, message);
        exitSoon(status);
    }

    /** The message of the failure itself, not of the CDI exceptions wrapped around it. */
    public static String reason(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CreationException || cause.getMessage() == null) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }

    public static void exitSoon(int status) {
        Thread exit = new Thread(() -> System.exit(status), "tdkvs-exit");
        exit.setDaemon(false);
        exit.start();
    }
}
