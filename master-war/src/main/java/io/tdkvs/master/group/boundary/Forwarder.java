package io.tdkvs.master.group.boundary;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import io.tdkvs.master.errors.StoreExceptionMapper;

/**
 * Sends a client's request on to the leader and its answer back, both streamed, with the request
 * target as the client wrote it (raw, not decoded). The JDK's {@link HttpURLConnection}: it sends any
 * target a servlet container accepted, and keeps connections to the leader alive between requests.
 * A body of at most {@value #HELD_BODY} bytes with a {@code Content-Length} is read whole first, so
 * that a request whose leader cannot be reached can be sent again, to the next one.
 */
final class Forwarder {

    static final String FORWARDED_BY = LeaderForwarding.FORWARDED_BY;
    static final String FORWARDED_HOST = LeaderForwarding.FORWARDED_HOST;
    /** On a 503: the master that answered does not lead (any more), and did nothing of the request. */
    static final String NOT_LEADER = StoreExceptionMapper.NOT_LEADER;
    static final int HELD_BODY = 64 * 1024;

    private static final int CONNECT_MILLIS = 2_000;
    private static final int ANSWER_MILLIS = 30_000;
    private static final int CHUNK = 64 * 1024;
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host",
            "content-length", "expect");

    private final String self;
    /** Requests sent to a leader whose answer has not begun, by the leader's URL. */
    private final Set<Waiting> waiting = ConcurrentHashMap.newKeySet();

    private record Waiting(URI leader, HttpURLConnection connection) {
    }

    Forwarder(String self) {
        this.self = self;
    }

    /**
     * Gives up the requests sent to a leader that is no longer the leader and has not begun to answer
     * them (it may hang, cut off from the others): they go to the next leader, if they can be sent again.
     */
    void abandon(URI formerLeader) {
        for (Waiting request : waiting) {
            if (request.leader().equals(formerLeader) && waiting.remove(request)) {
                request.connection().disconnect();
            }
        }
    }

    /** A request as it will be sent: its body read whole if it is small. */
    Outgoing prepare(HttpServletRequest request) throws IOException {
        long length = request.getContentLengthLong();
        boolean chunked = "chunked".equalsIgnoreCase(request.getHeader("Transfer-Encoding"));
        byte[] held = null;
        if (length >= 0 && length <= HELD_BODY) {
            held = request.getInputStream().readNBytes((int) length);
            if (held.length < length) {
                throw new IOException("the request body ended after " + held.length + " of " + length + " bytes");
            }
        }
        return new Outgoing(request, length, chunked, held);
    }

    /** A request to forward, with its body if it was read whole. */
    final class Outgoing {

        private final HttpServletRequest request;
        private final long length;
        private final boolean chunked;
        private final byte[] held;
        private boolean bodySent;

        private Outgoing(HttpServletRequest request, long length, boolean chunked, byte[] held) {
            this.request = request;
            this.length = length;
            this.chunked = chunked;
            this.held = held;
        }

        /** The request as the client sent it, its body read again from what was held (if it was). */
        HttpServletRequest replay() {
            if (held == null) {
                return request;
            }
            return new HttpServletRequestWrapper(request) {
                private final ServletInputStream body = new HeldBody(held);

                @Override
                public ServletInputStream getInputStream() {
                    return body;
                }

                @Override
                public BufferedReader getReader() {
                    return new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
                }
            };
        }

        /** Whether a failed attempt can be made again: nothing of a streamed body was taken yet. */
        boolean repeatable() {
            return held != null || !bodySent;
        }

        /**
         * Sends it to {@code leader} and copies the answer into {@code response}.
         *
         * @throws Unreachable if the leader could not be reached or broke off before its answer began
         * @throws BrokenAnswer if the answer broke off while it was being copied
         */
        void sendTo(URI leader, HttpServletResponse response) throws IOException {
            HttpURLConnection upstream = open(leader);
            Waiting pending = new Waiting(leader, upstream);
            waiting.add(pending);
            int status;
            try {
                if (held != null && (held.length > 0 || length == 0 && hasBody())) {
                    upstream.setFixedLengthStreamingMode(held.length);
                    upstream.setDoOutput(true);
                    try (OutputStream out = upstream.getOutputStream()) {
                        out.write(held);
                    }
                } else if (length > 0 || chunked) {
                    if (length > 0) {
                        upstream.setFixedLengthStreamingMode(length);
                    } else {
                        upstream.setChunkedStreamingMode(CHUNK);
                    }
                    upstream.setDoOutput(true);
                    upstream.connect();
                    bodySent = true;
                    try (OutputStream out = upstream.getOutputStream()) {
                        request.getInputStream().transferTo(out);
                    }
                }
                status = upstream.getResponseCode();
                if (status == 503 && upstream.getHeaderField(NOT_LEADER) != null) {
                    upstream.getErrorStream().readAllBytes();
                    throw new Unreachable(leader + " does not lead the group (any more)", null);
                }
                if (status >= 400 && String.valueOf(upstream.getContentType()).startsWith("text/html")) {
                    // a master's own answers are never HTML: Payara Micro answers so while the store is not deployed there
                    upstream.disconnect();
                    throw new Unreachable(leader + " is starting or stopping (it answered " + status + " with a page)", null);
                }
            } catch (Unreachable e) {
                throw e;
            } catch (IOException e) {
                upstream.disconnect();
                throw new Unreachable(leader + " did not answer: " + e.getMessage(), e);
            } finally {
                waiting.remove(pending);
            }
            response.setStatus(status);
            upstream.getHeaderFields().forEach((name, values) -> copyHeader(name, values, response));
            try (InputStream body = status >= 400 ? upstream.getErrorStream() : upstream.getInputStream()) {
                if (body != null && !request.getMethod().equals("HEAD")) {
                    OutputStream out = response.getOutputStream();
                    byte[] chunk = new byte[CHUNK];
                    for (int read; (read = body.read(chunk)) >= 0; ) {
                        out.write(chunk, 0, read);
                    }
                }
            } catch (IOException e) {
                upstream.disconnect();
                throw new BrokenAnswer(e);
            }
        }

        private boolean hasBody() {
            return List.of("PUT", "POST").contains(request.getMethod());
        }

        private HttpURLConnection open(URI leader) throws Unreachable {
            String target = request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
            try {
                @SuppressWarnings("deprecation") // URL(String) keeps the target as written; URI would refuse some
                URL url = new URL(leader.toString() + target);
                HttpURLConnection upstream = (HttpURLConnection) url.openConnection(Proxy.NO_PROXY);
                upstream.setRequestMethod(request.getMethod());
                upstream.setInstanceFollowRedirects(false);
                upstream.setUseCaches(false);
                upstream.setConnectTimeout(CONNECT_MILLIS);
                upstream.setReadTimeout(ANSWER_MILLIS);
                for (String name : Collections.list(request.getHeaderNames())) {
                    if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.equalsIgnoreCase(FORWARDED_BY)
                            && !name.equalsIgnoreCase(FORWARDED_HOST)) {
                        for (String value : Collections.list(request.getHeaders(name))) {
                            upstream.addRequestProperty(name, value);
                        }
                    }
                }
                upstream.setRequestProperty(FORWARDED_BY, self);
                if (request.getHeader("Host") != null) {
                    upstream.setRequestProperty(FORWARDED_HOST, request.getHeader("Host"));
                }
                return upstream;
            } catch (IOException | IllegalArgumentException e) {
                throw new Unreachable("cannot send " + request.getMethod() + " " + target + " to " + leader + ": " + e.getMessage(), e);
            }
        }
    }

    private static void copyHeader(String name, List<String> values, HttpServletResponse response) {
        if (name == null || NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.equalsIgnoreCase("content-length")) {
            return;
        }
        for (String value : values) {
            response.addHeader(name, value);
        }
    }

    /** A body read whole, read again. */
    private static final class HeldBody extends ServletInputStream {

        private final ByteArrayInputStream bytes;

        HeldBody(byte[] held) {
            this.bytes = new ByteArrayInputStream(held);
        }

        @Override
        public int read() {
            return bytes.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            return bytes.read(buffer, offset, length);
        }

        @Override
        public boolean isFinished() {
            return bytes.available() == 0;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new UnsupportedOperationException("a held body is read blocking");
        }
    }

    /** The leader could not be reached, or broke off before its answer began. */
    static final class Unreachable extends IOException {
        private static final long serialVersionUID = 1L;

        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The leader's answer broke off after it began: what it did is unknown. */
    static final class BrokenAnswer extends IOException {
        private static final long serialVersionUID = 1L;

        BrokenAnswer(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }
}
