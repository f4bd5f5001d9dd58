package io.tdkvs.it.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of a real server, which can be told to fail as a server does:
 * pass every byte both ways ({@link Mode#PASS}), answer every HTTP request {@code 500} after reading it
 * whole but those for {@code /status}, which it passes on ({@link Mode#ERROR}: a server whose
 * status looks fine while its work fails), or take requests in and never answer ({@link Mode#HANG}). A change of
 * mode drops the connections open in the old one. Closing stops it.
 */
public final class FaultProxy implements AutoCloseable {

    public enum Mode { PASS, ERROR, HANG }

    private final ServerSocket listener;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger errors = new AtomicInteger();
    private volatile Mode mode = Mode.PASS;

    private FaultProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "fault-proxy-" + listener.getLocalPort());
        accept.setDaemon(true);
        accept.start();
    }

    /** A proxy in front of the server on this port of 127.0.0.1. */
    public static FaultProxy to(int targetPort) {
        try {
            return new FaultProxy(targetPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    /** From now on, behaves so; connections open before are dropped. */
    public void mode(Mode next) {
        mode = next;
        for (Socket socket : open) {
            closeQuietly(socket);
        }
    }

    /** How many requests it answered 500. */
    public int errorsAnswered() {
        return errors.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                open.add(client);
                Mode now = mode;
                Thread serve = new Thread(() -> serve(client, now), "fault-proxy-connection");
                serve.setDaemon(true);
                serve.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client, Mode now) {
        try {
            switch (now) {
                case PASS -> pass(client);
                case ERROR -> answerErrors(client);
                case HANG -> client.getInputStream().transferTo(OutputStream.nullOutputStream());
            }
        } catch (IOException e) {
            // the connection ends
        } finally {
            open.remove(client);
            closeQuietly(client);
        }
    }

    private void pass(Socket client) throws IOException {
        try (Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort)) {
            open.add(server);
            Thread back = new Thread(() -> copy(server, client), "fault-proxy-answers");
            back.setDaemon(true);
            back.start();
            copy(client, server);
            try {
                back.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } finally {
            open.removeIf(Socket::isClosed);
        }
    }

    private static void copy(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** Reads each request whole (head and body), and answers it 500 as a failing server would. */
    private void answerErrors(Socket client) throws IOException {
        InputStream in = client.getInputStream();
        OutputStream out = client.getOutputStream();
        for (String head; (head = readHead(in)) != null; ) {
            String lower = head.toLowerCase(Locale.ROOT);
            if (lower.startsWith("get /status ")) {
                passOnce(head, out);
                return;
            }
            if (lower.contains("transfer-encoding: chunked")) {
                skipChunked(in);
            } else {
                int at = lower.indexOf("content-length:");
                if (at >= 0) {
                    long length = Long.parseLong(lower.substring(at + 15, lower.indexOf('\r', at)).strip());
                    in.skipNBytes(length);
                }
            }
            byte[] body = "a failure injected in front of the volume\n".getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            errors.incrementAndGet();
        }
    }

    /** Passes one request without a body to the server, and its answer back; the connection then ends. */
    private void passOnce(String head, OutputStream out) throws IOException {
        String closing = head.replaceAll("(?im)^connection:.*\r\n", "").replaceFirst("\r\n\r\n$", "\r\nConnection: close\r\n\r\n");
        try (Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort)) {
            server.getOutputStream().write(closing.getBytes(StandardCharsets.US_ASCII));
            server.getOutputStream().flush();
            server.getInputStream().transferTo(out);
            out.flush();
        }
    }

    /** A request's head up to its blank line; null at the end of the stream. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        for (int b; (b = in.read()) >= 0; ) {
            head.write(b);
            last4 = (last4 << 8) | b;
            if (last4 == 0x0d0a0d0a) {
                return head.toString(StandardCharsets.US_ASCII);
            }
        }
        return null;
    }

    private static void skipChunked(InputStream in) throws IOException {
        while (true) {
            String line = readLine(in);
            int size = Integer.parseInt(line.split(";")[0].strip(), 16);
            if (size == 0) {
                while (!readLine(in).isEmpty()) {
                    // trailers
                }
                return;
            }
            in.skipNBytes(size);
            readLine(in);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // already closed
        }
        mode(Mode.PASS);
    }
}
