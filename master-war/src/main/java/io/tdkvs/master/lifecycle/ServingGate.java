package io.tdkvs.master.lifecycle;

import java.util.function.Supplier;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tdkvs.master.errors.Reason;
import io.tdkvs.master.errors.StoreException;
import io.tdkvs.master.group.control.Leadership;

/**
 * Whether the master serves clients now, and if not, why: it is starting, or could not start; in a
 * group, it serves as the leader (while its lease runs), or by relaying requests to the leader it
 * follows. It serves while a migration runs.
 */
@Singleton
public class ServingGate {

    @Inject
    Leadership leadership;

    private volatile boolean open;
    private volatile Supplier<String> why = () -> "the master is starting";

    /** The leader has taken over: it serves. */
    public void open() {
        open = true;
    }

    public void close(Supplier<String> reason) {
        why = reason;
        open = false;
    }

    /** Whether this master takes client requests: it leads and has taken over, or it follows a known leader. */
    public boolean serving() {
        Leadership.View view = leadership.view();
        return open && view.leading() || view.following();
    }

    public String why() {
        Leadership.View view = leadership.view();
        if (open && view.leading()) {
            return leadership.grouped() ? "serving: leader of its group" : "serving";
        }
        if (view.following()) {
            return "serving: follows " + view.leader().orElseThrow().name() + ", to which it relays requests";
        }
        return view.leading() || !leadership.grouped() ? why.get() : Leadership.describe(view);
    }

    /** Throws unless this master may answer a client's request itself now, as the leader. */
    public void requireServing() {
        if (!open) {
            throw new StoreException(Reason.NOT_SERVING, why.get());
        }
        leadership.requireLease();
    }
}
