package io.tdkvs.volume.lifecycle;

import java.io.IOException;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.tdkvs.config.VolumeConfig;
import io.tdkvs.protocol.ClusterSignature;

/**
 * What every request but {@code /health} passes before the volume serves it:
 * <ul>
 * <li>the volume is ready: until its store is open and its start-up done, it answers {@code 503} with
 * {@code Retry-After}, never a 5xx of a half-deployed application nor a {@code 200};</li>
 * <li>if the config names the cluster's secret, the request is signed with it
 * ({@link ClusterSignature}), recently, and was not taken before ({@link Replays}): else {@code 401},
 * and nothing changes.</li>
 * </ul>
 * Every 5xx the volume answers is logged with the request, and with its cause when one escaped the
 * application.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class RequestGate extends HttpFilter {

    private static final Logger LOG = Logger.getLogger(RequestGate.class.getName());
    static final String RETRY_AFTER_SECONDS = "1";

    @Inject
    VolumeStartup startup;

    @Inject
    Instance<VolumeConfig> config;

    @Inject
    Replays replays;

    private volatile Optional<ClusterSignature> signature;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.startsWith("/health")) {
            chain.doFilter(request, response);
            return;
        }
        if (!startup.ready()) {
            response.setHeader("Retry-After", RETRY_AFTER_SECONDS);
            refuse(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "the volume is starting; try again in a second");
            return;
        }
        Optional<String> refused = unsigned(request);
        if (refused.isPresent()) {
            refuse(response, HttpServletResponse.SC_UNAUTHORIZED, refused.get());
            return;
        }
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException | Error e) {
            LOG.log(Level.SEVERE, request.getMethod() + " " + path + " failed", e);
            throw e;
        }
        int status = response.getStatus();
        if (status >= 500) {
            LOG.warning(() -> "answered " + status + " to " + request.getMethod() + " " + path);
        }
    }

    /** Why the request is not the cluster's own, if it is not; empty when it is, or the volume has no secret. */
    private Optional<String> unsigned(HttpServletRequest request) {
        if (signature == null) {
            signature = config.get().secret().map(ClusterSignature::new);
        }
        if (signature.isEmpty()) {
            return Optional.empty();
        }
        String target = request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
        String header = request.getHeader(ClusterSignature.HEADER);
        ClusterSignature.Verdict verdict = signature.get().check(request.getMethod(), target, header, System.currentTimeMillis());
        if (verdict != ClusterSignature.Verdict.VALID) {
            return Optional.of(verdict.message());
        }
        if (!replays.firstUse(header, ClusterSignature.millis(header))) {
            return Optional.of("the request's signature was used before: a request is taken once");
        }
        return Optional.empty();
    }

    private static void refuse(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().write(message + "\n");
    }
}
