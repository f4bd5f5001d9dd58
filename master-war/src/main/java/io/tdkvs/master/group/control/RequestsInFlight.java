package io.tdkvs.master.group.control;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Singleton;

/**
 * The client requests this master is answering now: all of them (those it relays, and those waiting
 * for a leader, included), and those it answers itself as the leader; so that a hand-over can wait for
 * them to end. And whether it is closing: its answers then ask clients to close their connections, so
 * that their next requests go to another master. Counting costs no lock; only a hand-over waits.
 */
@Singleton
public class RequestsInFlight {

    private static final long POLL_MILLIS = 10;

    private final AtomicInteger all = new AtomicInteger();
    private final AtomicInteger led = new AtomicInteger();
    private volatile boolean closing;

    public void begin() {
        all.incrementAndGet();
    }

    public void end() {
        all.decrementAndGet();
    }

    /** A request this master answers itself, as the leader. */
    public void beginLed() {
        led.incrementAndGet();
    }

    public void endLed() {
        led.decrementAndGet();
    }

    /** Waits up to {@code timeout} until no request runs; answers whether none does. */
    public boolean awaitNone(Duration timeout) throws InterruptedException {
        return await(all, timeout);
    }

    /** Waits up to {@code timeout} until no request is answered as the leader; answers whether none is. */
    public boolean awaitNoneLed(Duration timeout) throws InterruptedException {
        return await(led, timeout);
    }

    private static boolean await(AtomicInteger count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(POLL_MILLIS);
        }
        return count.get() == 0;
    }

    /** From now on, answers ask clients to close their connections. */
    public void closing() {
        closing = true;
    }

    public boolean isClosing() {
        return closing;
    }
}
