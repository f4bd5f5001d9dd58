package io.tdkvs.it.support;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * A Java client of a group of masters, as docs/running.md shows one: it knows every master's URL, sends a
 * request to one of them, and sends it again to the next one when the answer is a 503 (no leader yet,
 * or a change whose outcome is unknown) or when there is no answer at all (a refused or reset
 * connection, a timeout: the master died or hangs), until a deadline. Any master takes any request,
 * so it needs to know nothing of which one leads. A PUT sent twice stores the same value twice; a
 * DELETE sent again after a lost answer may find the key gone (404).
 */
public final class FailoverClient implements AutoCloseable {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final long PAUSE_MILLIS = 100;

    private final List<URI> masters;
    private final Client client;
    private final AtomicInteger next;
    private final AtomicLong retries;

    public FailoverClient(List<URI> masters) {
        this(List.copyOf(masters), ClientBuilder.newBuilder().connectTimeout(2, TimeUnit.SECONDS).readTimeout(10, TimeUnit.SECONDS)
                .build(), 0, new AtomicLong());
    }

    private FailoverClient(List<URI> masters, Client client, int first, AtomicLong retries) {
        this.masters = masters;
        this.client = client;
        this.next = new AtomicInteger(first);
        this.retries = retries;
    }

    /** The same client, that sends its requests to master {@code first} until it fails (closing it closes this one). */
    public FailoverClient from(int first) {
        return new FailoverClient(masters, client, first % masters.size(), retries);
    }

    public Reply put(String key, byte[] value) {
        return send(master -> master.path("set/" + Store.encode(key, true)).request()
                .put(Entity.entity(value, MediaType.APPLICATION_OCTET_STREAM)));
    }

    public Reply get(String key) {
        return send(master -> master.path("get/" + Store.encode(key, true)).request().get());
    }

    public Reply delete(String key) {
        return send(master -> master.path("delete/" + Store.encode(key, true)).request().delete());
    }

    /** Requests sent again to another master so far. */
    public long retries() {
        return retries.get();
    }

    /**
     * Sends {@code call} to a master, and again to the next while it fails that way; the last failure
     * is the answer once the deadline has passed.
     */
    public Reply send(Function<WebTarget, Response> call) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        int master = Math.floorMod(next.get(), masters.size());
        while (true) {
            Reply reply;
            try {
                Response answer = call.apply(client.target(masters.get(master)));
                // a master's own answers are never HTML: a page comes from Payara Micro without the store (starting, stopping)
                boolean page = MediaType.TEXT_HTML_TYPE.isCompatible(answer.getMediaType());
                reply = Reply.of(answer);
                if (reply.status() != 503 && !page) {
                    next.set(master);
                    return reply;
                }
            } catch (ProcessingException e) {
                reply = new Reply(599, new jakarta.ws.rs.core.MultivaluedHashMap<>(),
                        ("no answer from " + masters.get(master) + ": " + e.getMessage()).getBytes());
            }
            if (System.nanoTime() > deadline) {
                return reply;
            }
            retries.incrementAndGet();
            master = (master + 1) % masters.size();
            Server.sleep(PAUSE_MILLIS);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
