package io.tdkvs.master.group.control;

import java.time.Duration;

import jakarta.inject.Singleton;

/**
 * The client requests this master is answering now: all of them (those it relays, and those waiting
 * for a leader, included), and those it answers itself as the leader; so that a hand-over can wait for
 * them to end. And whether it is closing: its answers then ask clients to close their connections, so
 * that their next requests go to another master.
 */
@Singleton
public class RequestsInFlight {

    private int all;
    private int led;
    private volatile boolean closing;

    public synchronized void begin() {
        all++;
    }

    public synchronized void end() {
        all--;
        notifyAll();
    }

    /** A request this master answers itself, as the leader. */
    public synchronized void beginLed() {
        led++;
    }

    public synchronized void endLed() {
        led--;
        notifyAll();
    }

    /** Waits up to {@code timeout} until no request runs; answers whether none does. */
    public synchronized boolean awaitNone(Duration timeout) throws InterruptedException {
        return await(timeout, true);
    }

    /** Waits up to {@code timeout} until no request is answered as the leader; answers whether none is. */
    public synchronized boolean awaitNoneLed(Duration timeout) throws InterruptedException {
        return await(timeout, false);
    }

    private boolean await(Duration timeout, boolean every) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long left = timeout.toNanos(); (every ? all : led) > 0 && left > 0; left = deadline - System.nanoTime()) {
            wait(Math.max(1, left / 1_000_000));
        }
        return (every ? all : led) == 0;
    }

    /** From now on, answers ask clients to close their connections. */
    public void closing() {
        closing = true;
    }

    public boolean isClosing() {
        return closing;
    }
}
