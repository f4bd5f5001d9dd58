package io.tdkvs.it.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 request written byte for byte, for targets a well-behaved client refuses to send
 * (malformed escapes, raw bytes): what a careless or hostile client can put on the wire.
 */
public final class RawHttp {

    private RawHttp() {
    }

    /** Sends the request; answers the status and the body (the connection is closed after). */
    public static Kv.Answer send(URI server, String method, String target, byte[] body, String... headers) {
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\n")
                    .append("Host: ").append(server.getHost()).append(':').append(server.getPort()).append("\r\n")
                    .append("Connection: close\r\n");
            for (String header : headers) {
                head.append(header).append("\r\n");
            }
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return parse(socket.getInputStream().readAllBytes(), method);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + target, e);
        }
    }

    /**
     * Announces {@code announced} bytes, sends only {@code sent} of them and closes the connection.
     * Answers what the server answered, if anything.
     */
    public static Kv.Answer sendPartial(URI server, String method, String target, int announced, int sent) {
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + target + " HTTP/1.1\r\nHost: " + server.getHost() + "\r\nContent-Length: " + announced
                    + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(new byte[sent]);
            out.flush();
            socket.shutdownOutput();
            byte[] response = socket.getInputStream().readAllBytes();
            return response.length == 0 ? null : parse(response, method);
        } catch (IOException e) {
            return null;
        }
    }

    private static Kv.Answer parse(byte[] response, String method) {
        String text = new String(response, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            throw new IllegalStateException("not an HTTP response: " + text);
        }
        String[] lines = text.substring(0, headEnd).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        byte[] rest = java.util.Arrays.copyOfRange(response, headEnd + 4, response.length);
        boolean chunked = false;
        for (String line : lines) {
            chunked |= line.toLowerCase(Locale.ROOT).startsWith("transfer-encoding:") && line.toLowerCase(Locale.ROOT).contains("chunked");
        }
        byte[] body = method.equals("HEAD") ? new byte[0] : chunked ? unchunk(rest) : rest;
        return new Kv.Answer(status, body, java.net.http.HttpHeaders.of(java.util.Map.of(), (a, b) -> true));
    }

    private static byte[] unchunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < chunked.length) {
            int lineEnd = indexOf(chunked, at);
            int size = Integer.parseInt(new String(chunked, at, lineEnd - at, StandardCharsets.ISO_8859_1).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.write(chunked, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length - 1; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        return bytes.length;
    }

}
