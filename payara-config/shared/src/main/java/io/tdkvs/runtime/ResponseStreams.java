package io.tdkvs.runtime;

import java.io.IOException;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.ws.rs.core.StreamingOutput;

/**
 * Streamed answers, and their failures in the log. A client that closes its connection while a value
 * streams to it is ordinary (a player seeks, a download is cancelled), but the container logs it as
 * SEVERE with two long stack traces. Here such a failure is one short line, at FINE; any other failure
 * of a streamed answer one line at WARNING, with its reason, and the container's stack traces of it
 * are left out.
 */
public final class ResponseStreams {

    /** The logger of Jersey's response writing, held here so that its filter stays. */
    private static final Logger CONTAINER = Logger.getLogger("org.glassfish.jersey.server.ServerRuntime$Responder");
    private static final Logger LOG = Logger.getLogger(ResponseStreams.class.getName());
    /** How the container and the JDK say that the other side closed the connection. */
    private static final Set<String> CLOSED = Set.of("Connection is closed", "Broken pipe", "Connection reset by peer");
    /** Failures of streamed answers already logged here, until the container has logged them too. */
    private static final Set<Throwable> REPORTED = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    private ResponseStreams() {
    }

    /** Stops the container from logging closed connections of its own accord; call once at start. */
    public static void quietClosedConnections() {
        CONTAINER.setFilter(new Filter() {
            @Override
            public boolean isLoggable(LogRecord record) {
                return !closedConnection(record.getThrown()) && !reported(record.getThrown());
            }
        });
    }

    /** {@code body}, with a line in the log if it fails: {@code what} says what was being sent. */
    public static StreamingOutput reported(String what, StreamingOutput body) {
        return out -> {
            try {
                body.write(out);
            } catch (IOException | RuntimeException e) {
                if (closedConnection(e)) {
                    LOG.fine(() -> "the client closed the connection while " + what + " was sent");
                } else {
                    LOG.log(Level.WARNING, () -> what + " broke off: " + e);
                    REPORTED.add(e);
                }
                throw e;
            }
        };
    }

    private static boolean reported(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (REPORTED.contains(cause)) {
                return true;
            }
        }
        return false;
    }

    static boolean closedConnection(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException && CLOSED.contains(cause.getMessage())) {
                return true;
            }
        }
        return false;
    }
}
