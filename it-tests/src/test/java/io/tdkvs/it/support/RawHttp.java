package io.tdkvs.it.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;

/**
 * One HTTP/1.1 request written byte for byte, for targets a well-behaved client refuses to send
 * (malformed escapes, raw bytes): what a careless or hostile client can put on the wire.
 */
public final class RawHttp {

    private RawHttp() {
    }

    /** Sends the request; answers the status and the body (the connection is closed after). */
    public static Reply send(URI server, String method, String target, byte[] body, String... headers) {
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\n")
                    .append("Host: ").append(server.getHost()).append(':').append(server.getPort()).append("\r\n")
                    .append("Connection: close\r\n")
                    .append(io.tdkvs.protocol.ClusterSignature.HEADER).append(": ").append(ClusterSecret.sign(method, target)).append("\r\n");
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
    public static Reply sendPartial(URI server, String method, String target, int announced, int sent) {
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

    private static Reply parse(byte[] response, String method) {
        String text = new String(response, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            throw new IllegalStateException("not an HTTP response: " + text);
        }
        String[] lines = text.substring(0, headEnd).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        byte[] rest = Arrays.copyOfRange(response, headEnd + 4, response.length);
        MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.add(lines[i].substring(0, colon).strip(), lines[i].substring(colon + 1).strip());
        }
        Reply head = new Reply(status, headers, new byte[0]);
        boolean chunked = String.valueOf(head.header("Transfer-Encoding")).toLowerCase(Locale.ROOT).contains("chunked");
        byte[] body = method.equals("HEAD") ? new byte[0] : chunked ? unchunk(rest) : rest;
        return new Reply(status, headers, body);
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
