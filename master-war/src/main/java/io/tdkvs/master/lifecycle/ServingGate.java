package io.tdkvs.master.lifecycle;

import java.util.function.Supplier;

import jakarta.inject.Singleton;

import io.tdkvs.master.errors.Reason;
import io.tdkvs.master.errors.StoreException;

/**
 * Whether the master serves clients now, and if not, why: it is starting, or could not start. It
 * serves while a migration runs.
 */
@Singleton
public class ServingGate {

    private volatile boolean serving;
    private volatile Supplier<String> why = () -> "the master is starting";

    public void open() {
        serving = true;
    }

    public void close(Supplier<String> reason) {
        why = reason;
        serving = false;
    }

    public boolean serving() {
        return serving;
    }

    public String why() {
        return serving ? "serving" : why.get();
    }

    public void requireServing() {
        if (!serving) {
            throw new StoreException(Reason.NOT_SERVING, why.get());
        }
    }
}
