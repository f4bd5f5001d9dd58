package io.tdkvs.volume.lifecycle;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Every request but {@code /health} waits for the volume to be ready: until its store is open and its
 * start-up done, it answers {@code 503} with {@code Retry-After}, never a 5xx of a half-deployed
 * application nor a {@code 200}. Every 5xx the volume answers is logged with the request, and with its
 * cause when one escaped the application.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class ReadyGate extends HttpFilter {

    private static final Logger LOG = Logger.getLogger(ReadyGate.class.getName());
    static final String RETRY_AFTER_SECONDS = "1";

    @Inject
    VolumeStartup startup;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!startup.ready() && !path.startsWith("/health")) {
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            response.setHeader("Retry-After", RETRY_AFTER_SECONDS);
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write("the volume is starting; try again in a second\n");
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
}
