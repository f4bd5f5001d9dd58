package io.tdkvs.master.group.boundary;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.tdkvs.config.GroupConfig;
import io.tdkvs.master.group.control.Leadership;
import io.tdkvs.master.group.control.RequestsInFlight;
import io.tdkvs.master.group.entity.Role;

/**
 * Lets a client send any request to any master of a group. The leader answers it; a follower relays
 * it to the leader and the answer back ({@link Forwarder}), so a client that knows one live master
 * never needs to know which one leads. While no leader is known (an election, a hand-over) a request
 * waits up to {@value #WAIT_SECONDS} s for one; a leader that stops answering before it began to
 * answer is replaced by the next one, for a request whose body can be sent again. A master answers
 * its own health, metrics, API description, console files and view of the group, and its status while no leader
 * is known.
 * A master on its own lets every request through.
 */
@WebFilter(urlPatterns = "/*")
public class LeaderForwarding extends HttpFilter {

    /** Names the master that forwarded a request: the leader never forwards it again. */
    public static final String FORWARDED_BY = "Tdkvs-Forwarded-By";
    /** The {@code Host} the client sent to the master that forwarded its request (an S3 signature covers it). */
    public static final String FORWARDED_HOST = "Tdkvs-Forwarded-Host";
    /** Where the S3 port's requests arrive (S3Targets): a refusal of one is an S3 error document. */
    private static final String S3 = "/_s3";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(LeaderForwarding.class.getName());
    static final int WAIT_SECONDS = 10;
    private static final Duration WAIT = Duration.ofSeconds(WAIT_SECONDS);
    private static final Duration RETRY = Duration.ofMillis(250);
    private static final List<String> OWN = List.of("/health", "/metrics", "/openapi", "/console");
    private static final String STATUS = "/admin/status";
    /** Each master's own view of the group. */
    private static final String GROUP = "/admin/group";

    @Inject
    transient Leadership leadership;

    @Inject
    transient RequestsInFlight requests;

    private transient Forwarder forwarder;

    @Override
    public void init() {
        forwarder = new Forwarder(leadership.self().map(GroupConfig.Member::name).orElse("master"));
        AtomicReference<Optional<URI>> leader = new AtomicReference<>(Optional.empty());
        leadership.onChange(view -> {
            Optional<URI> now = view.leader().map(GroupConfig.Member::url);
            leader.getAndSet(now).filter(former -> !now.equals(Optional.of(former))).ifPresent(forwarder::abandon);
        });
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!leadership.grouped() || OWN.stream().anyMatch(own -> path.equals(own) || path.startsWith(own + "/"))
                || path.equals(GROUP) && request.getMethod().equals("GET")) {
            chain.doFilter(request, response);
            return;
        }
        requests.begin();
        try {
            if (requests.isClosing()) {
                response.setHeader("Connection", "close");
            }
            route(path, request, response, chain);
            if (requests.isClosing()) {
                response.flushBuffer(); // on its way before the stop, which waits for the requests to end, closes the sockets
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            refuse(request, response, "this master is stopping");
        } finally {
            requests.end();
        }
    }

    private void route(String path, HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException, InterruptedException {
        if (request.getHeader(Forwarder.FORWARDED_BY) != null) {
            // relayed once already: the leader answers it (once it has taken over), else it goes back
            Leadership.View view = leadership.await(v -> v.leading() || v.role() != Role.TAKING_OVER, WAIT);
            if (!view.leading() || !lead(request, response, chain, false)) {
                response.setHeader(Forwarder.NOT_LEADER, "true");
                refuse(request, response, Leadership.describe(leadership.view()));
            }
            return;
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Leadership.View view = leadership.view(); // without a lock, as it is nearly always
            if (!view.leading() && !view.following()) {
                view = leadership.await(v -> v.leading() || v.following(), Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            }
            if (view.leading()) {
                if (lead(request, response, chain, false)) {
                    return;
                }
            } else if (view.following()) {
                relay(request, response, chain, view);
                return;
            } else if (path.equals(STATUS)) {
                chain.doFilter(request, response);
                return;
            } else {
                refuse(request, response, Leadership.describe(view) + "; no leader was known within " + WAIT_SECONDS + " s");
                return;
            }
        }
    }

    private void relay(HttpServletRequest request, HttpServletResponse response, FilterChain chain, Leadership.View first)
            throws IOException, ServletException, InterruptedException {
        Forwarder.Outgoing outgoing = forwarder.prepare(request);
        long deadline = System.nanoTime() + WAIT.toNanos();
        Leadership.View view = first;
        while (true) {
            GroupConfig.Member leader = view.leader().orElseThrow();
            try {
                outgoing.sendTo(leader.url(), response);
                return;
            } catch (Forwarder.BrokenAnswer e) {
                if (response.isCommitted()) {
                    throw e; // the client sees a cut answer
                }
                response.reset();
                refuse(request, response, "the leader " + leader + " broke off its answer (" + e.getMessage() + "); whether the "
                        + "request was done is unknown: send it again");
                return;
            } catch (Forwarder.Unreachable e) {
                if (!outgoing.repeatable() || response.isCommitted()) {
                    refuse(request, response, "the leader " + leader + " stopped answering while the request went to it; whether it "
                            + "was done is unknown: send it again");
                    return;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    refuse(request, response, "the leader " + leader + " does not answer: " + e.getMessage());
                    return;
                }
                LOG.fine(() -> "the leader " + leader + " does not answer (" + e.getMessage() + "); waiting for the next one");
                Optional<GroupConfig.Member> failed = Optional.of(leader);
                view = leadership.await(v -> v.leading() || v.following() && !v.leader().equals(failed),
                        Duration.ofNanos(Math.min(left, RETRY.toNanos())));
                if (view.leading() && lead(outgoing.replay(), response, chain, false)) {
                    return;
                }
                if (!view.following()) {
                    view = leadership.await(v -> v.leading() || v.following(), Duration.ofNanos(deadline - System.nanoTime()));
                    if (view.leading() && lead(outgoing.replay(), response, chain, false)) {
                        return;
                    }
                    if (!view.following()) {
                        refuse(request, response, Leadership.describe(view) + "; no leader was known within " + WAIT_SECONDS + " s");
                        return;
                    }
                }
            }
        }
    }

    /**
     * Answers as the leader, unless ({@code anyway} aside) this master stopped leading meanwhile:
     * a hand-over waits for the requests answered as the leader to end before the leadership moves.
     */
    private boolean lead(HttpServletRequest request, HttpServletResponse response, FilterChain chain, boolean anyway)
            throws IOException, ServletException {
        requests.beginLed();
        try {
            if (!anyway && !leadership.view().leading()) {
                return false;
            }
            chain.doFilter(request, response);
            return true;
        } finally {
            requests.endLed();
        }
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, String message) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(503);
        response.setHeader("Retry-After", "1");
        if (request.getRequestURI().substring(request.getContextPath().length()).equals(S3)) {
            response.setContentType("application/xml");
            if (!request.getMethod().equals("HEAD")) {
                String escaped = message.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
                response.getOutputStream().write(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>ServiceUnavailable</Code>"
                        + "<Message>" + escaped + "</Message></Error>").getBytes(StandardCharsets.UTF_8));
            }
            return;
        }
        response.setContentType("text/plain;charset=UTF-8");
        response.getOutputStream().write((message + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
