package io.tdkvs.master.metrics.boundary;

import java.io.IOException;
import java.util.Locale;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.tdkvs.master.metrics.control.StoreMetrics;
import io.tdkvs.master.s3.boundary.S3Targets;

/**
 * Times every request of the client API, from its arrival until its last byte went out, and counts
 * it by operation and status. A servlet filter, so that streamed values and mapped errors count as
 * the client saw them.
 */
@WebFilter(urlPatterns = {"/set", "/set/*", "/get", "/get/*", "/delete", "/delete/*", "/list", "/list/*", S3Targets.PATH})
public class RequestMetrics extends HttpFilter {

    private static final long serialVersionUID = 1L;

    @Inject
    transient StoreMetrics metrics;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        long start = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            metrics.request(operation(request), response.getStatus(), System.nanoTime() - start);
        }
    }

    /**
     * put, get, head, delete or list; "other" for a method its endpoint does not take; for the S3 endpoint,
     * "s3-" and the method (s3-get, s3-put, s3-head, s3-delete, s3-post).
     */
    static String operation(HttpServletRequest request) {
        String endpoint = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        String method = request.getMethod().toLowerCase(Locale.ROOT);
        if (endpoint.equals(S3Targets.PATH)) {
            return "s3-" + method;
        }
        if (endpoint.startsWith("/set")) {
            return method.equals("put") ? "put" : "other";
        }
        if (endpoint.startsWith("/get")) {
            return method.equals("get") || method.equals("head") ? method : "other";
        }
        if (endpoint.startsWith("/delete")) {
            return method.equals("delete") ? "delete" : "other";
        }
        return method.equals("get") ? "list" : "other";
    }
}
