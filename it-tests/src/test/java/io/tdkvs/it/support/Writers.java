package io.tdkvs.it.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writers that store, overwrite and delete keys of their own through a {@link FailoverClient} until
 * stopped, keeping what was acknowledged: the value each key must have now (empty for a key whose
 * deletion was acknowledged). A write that got no acknowledgement before the client's deadline is
 * uncertain: its key may hold the former value or the new one. Every acknowledgement is timed. Each
 * writer begins with another master, and writes at most {@value #KEYS} keys, then overwrites them.
 */
public final class Writers implements AutoCloseable {

    private static final int KEYS = 200;

    private final FailoverClient client;
    private final String prefix;
    private final ExecutorService threads;
    private final List<Future<?>> running = new ArrayList<>();
    private final Map<String, Optional<byte[]>> acknowledged = new ConcurrentHashMap<>();
    private final Map<String, List<Optional<byte[]>>> uncertain = new ConcurrentHashMap<>();
    /** When each acknowledged request was sent and when its answer came (System.nanoTime). */
    private final ConcurrentLinkedQueue<long[]> acks = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicLong serverErrors = new AtomicLong();
    private volatile boolean stopping;
    private volatile boolean paused;

    private Writers(FailoverClient client, String prefix, int count) {
        this.client = client;
        this.prefix = prefix;
        this.threads = Executors.newFixedThreadPool(count);
        for (int i = 0; i < count; i++) {
            int writer = i;
            running.add(threads.submit(() -> write(writer)));
        }
    }

    /** Starts {@code count} writers, each on keys {@code <prefix>/<writer>/<n>}. */
    public static Writers start(FailoverClient client, String prefix, int count) {
        return new Writers(client, prefix, count);
    }

    private void write(int writer) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        FailoverClient mine = client.from(writer);
        int written = 0;
        for (long version = 0; !stopping; version++) {
            while (paused && !stopping) {
                Server.sleep(20);
            }
            boolean delete = written > 10 && random.nextInt(10) == 0;
            boolean again = written > 10 && (written == KEYS || random.nextInt(3) == 0);
            String key = prefix + "/" + writer + "/" + (again ? random.nextInt(written) : written++);
            Optional<byte[]> before = Optional.ofNullable(acknowledged.get(key)).flatMap(value -> value);
            Optional<byte[]> after = delete ? Optional.empty() : Optional.of(value(key, version, random.nextInt(2000)));
            long sent = System.nanoTime();
            Reply reply = delete ? mine.delete(key) : mine.put(key, after.get());
            int status = reply.status();
            if (status == 500) {
                serverErrors.incrementAndGet();
            }
            boolean done = delete ? status == 204 || status == 404 : status == 201 || status == 204;
            if (done) {
                acknowledged.put(key, after);
                uncertain.remove(key);
                acks.add(new long[] {sent, System.nanoTime()});
            } else {
                failures.add(key + ": " + reply);
                uncertain.computeIfAbsent(key, k -> Collections.synchronizedList(new ArrayList<>())).add(after);
                if (before.isPresent()) {
                    uncertain.get(key).add(before);
                }
            }
        }
    }

    private static byte[] value(String key, long version, int length) {
        byte[] seed = (key + "#" + version).getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[length + seed.length];
        System.arraycopy(seed, 0, value, 0, seed.length);
        for (int i = seed.length; i < value.length; i++) {
            value[i] = (byte) (seed[i % seed.length] * 31 + i);
        }
        return value;
    }

    /**
     * When the first acknowledgement of a request sent after {@code nanos} (System.nanoTime) came, waiting up
     * to 60 s for one.
     */
    public long firstAckAfter(long nanos) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Optional<Long> first = acks.stream().filter(ack -> ack[0] > nanos).map(ack -> ack[1]).min(Long::compare);
            if (first.isPresent()) {
                return first.get();
            }
            Server.sleep(20);
        }
        throw new AssertionError("no write was acknowledged within 60 s");
    }

    public long acknowledgements() {
        return acks.size();
    }

    /** Writes that got no acknowledgement, however often they were sent again. */
    public List<String> failures() {
        return List.copyOf(failures);
    }

    /** Answers 500 (a failure the store did not explain), counted before any retry. */
    public long serverErrors() {
        return serverErrors.get();
    }

    /**
     * Sends no new write until {@link #resume()}; the writes under way go on. For a wait that load would
     * only slow down, such as a killed master's restart, once what the load was for has been seen.
     */
    public void pause() {
        paused = true;
    }

    public void resume() {
        paused = false;
    }

    /** Stops writing and waits for the writes under way. */
    public void stop() {
        stopping = true;
        for (Future<?> writer : running) {
            try {
                writer.get(2, TimeUnit.MINUTES);
            } catch (Exception e) {
                throw new AssertionError("a writer failed", e);
            }
        }
        threads.shutdown();
    }

    /**
     * Every key reads back from {@code store} as it was last acknowledged, byte for byte (a deleted key
     * answers 404); an uncertain key holds one of the values it may have. Answers how many keys it read.
     */
    public int verify(Store store) {
        List<String> keys = new ArrayList<>(acknowledged.keySet());
        Parallel.forEach(keys.size(), i -> check(store, keys.get(i)));
        return keys.size();
    }

    private void check(Store store, String key) {
        Reply reply = store.get(key);
        List<Optional<byte[]>> possible = uncertain.get(key);
        Optional<byte[]> expected = acknowledged.get(key);
        Optional<byte[]> found = reply.status() == 404 ? Optional.empty() : Optional.of(reply.body());
        if (reply.status() != 200 && reply.status() != 404) {
            throw new AssertionError(store.uri() + ": " + key + " answered " + reply);
        }
        if (possible != null && possible.stream().anyMatch(value -> same(value, found))) {
            return;
        }
        assertEquals(expected.isPresent(), found.isPresent(), () -> store.uri() + ": " + key + " answered " + reply);
        expected.ifPresent(value -> assertArrayEquals(value, found.get(), store.uri() + ": " + key));
    }

    private static boolean same(Optional<byte[]> a, Optional<byte[]> b) {
        return a.isPresent() == b.isPresent() && (a.isEmpty() || java.util.Arrays.equals(a.get(), b.get()));
    }

    @Override
    public void close() {
        stopping = true;
        threads.shutdownNow();
    }
}
