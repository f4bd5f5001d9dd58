package io.tdkvs.master.lifecycle;

import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tdkvs.master.group.control.GroupIndex;
import io.tdkvs.master.group.control.Leadership;
import io.tdkvs.master.group.control.RequestsInFlight;
import io.tdkvs.master.group.entity.Role;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * A member of a group that gets SIGTERM hands over before the process stops, so that a client that
 * sends its requests again to another master sees none fail:
 * <ol>
 * <li>the leader takes no new request itself (they wait for the next leader, and are relayed to it),
 *     waits for those it is answering, and hands the leadership to another member (JE's master
 *     transfer, about 1 s);</li>
 * <li>every member then stops accepting connections, and answers what it still has (relayed to the
 *     new leader) with {@code Connection: close};</li>
 * <li>then the process stops as it would have: Payara's shutdown, which closes the index.</li>
 * </ol>
 * Without sun.misc.Signal (another JVM), SIGTERM stops the member at once, as it does a master on
 * its own; its group elects another leader.
 */
@Singleton
public class Handover {

    private static final Logger LOG = Logger.getLogger(Handover.class.getName());
    private static final Duration REQUESTS = Duration.ofSeconds(10);
    private static final Duration TRANSFER = Duration.ofSeconds(4);
    private static final Duration RELAYED = Duration.ofSeconds(15);
    private static final Duration FINISH = Duration.ofMillis(300);

    @Inject
    Leadership leadership;

    @Inject
    RequestsInFlight requests;

    @Inject
    GroupIndex groupIndex;

    private boolean installed;

    /** Hands over on SIGTERM from now on. */
    public synchronized void install() {
        if (installed) {
            return;
        }
        try {
            Signal term = new Signal("TERM");
            SignalHandler[] previous = new SignalHandler[1];
            previous[0] = Signal.handle(term, signal -> {
                Thread handover = new Thread(() -> {
                    try {
                        handOver();
                    } finally {
                        stop(previous[0], signal);
                    }
                }, "tdkvs-handover");
                handover.start();
            });
            installed = true;
        } catch (IllegalArgumentException | LinkageError e) {
            LOG.warning(() -> "SIGTERM stops this member without handing over first (" + e + ")");
        }
    }

    private void handOver() {
        long start = System.nanoTime();
        requests.closing();
        try {
            Role role = leadership.view().role();
            if (role == Role.LEADER || role == Role.TAKING_OVER) {
                leadership.steppingDown();
                if (!requests.awaitNoneLed(REQUESTS)) {
                    LOG.warning(() -> "handing over while requests are still answered (after " + REQUESTS.toSeconds() + " s)");
                }
                String next = groupIndex.transferLeadership(TRANSFER);
                LOG.info(() -> "handed the leadership over to " + next);
                leadership.await(Leadership.View::following, TRANSFER);
            }
            int listeners = PayaraListeners.stopAccepting();
            LOG.fine(() -> listeners + " HTTP listener(s) stopped accepting connections");
            requests.awaitNone(RELAYED);
            Thread.sleep(FINISH.toMillis()); // the container ends each answer after the filter is done with it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.WARNING, "the hand-over before the stop did not complete: " + e, e);
        }
        LOG.info(() -> String.format("stopping after a hand-over of %.1f s", (System.nanoTime() - start) / 1e9));
    }

    /** Stops the process as SIGTERM would have without this handler. */
    private static void stop(SignalHandler previous, Signal signal) {
        if (previous != null && previous != SignalHandler.SIG_DFL && previous != SignalHandler.SIG_IGN) {
            previous.handle(signal);
        } else {
            System.exit(128 + signal.getNumber());
        }
    }
}
