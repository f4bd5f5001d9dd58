package io.tdkvs.it.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/** A set of keys with values derived from them, written and checked in parallel. */
public final class Dataset {

    private final String prefix;
    private final int size;

    public Dataset(String prefix, int size) {
        this.prefix = prefix;
        this.size = size;
    }

    public String key(int i) {
        return prefix + "/key-" + i;
    }

    /** Values of varied length (0 to ~3 KiB), binary, different for every key. */
    public byte[] value(int i) {
        byte[] seed = key(i).getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[(i * 37) % 3000];
        for (int j = 0; j < value.length; j++) {
            value[j] = (byte) (seed[j % seed.length] * 31 + j);
        }
        return value;
    }

    public void write(Store store) {
        forEach(i -> {
            int status = store.put(key(i), value(i)).status();
            assertEquals(201, status, key(i));
            return null;
        });
    }

    /** Every key reads back byte for byte. */
    public void verify(Store store) {
        forEach(i -> {
            Reply answer = store.get(key(i));
            assertEquals(200, answer.status(), () -> key(i) + ": " + answer);
            assertArrayEquals(value(i), answer.body(), key(i));
            return null;
        });
    }

    public List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            keys.add(key(i));
        }
        return keys;
    }

    public int size() {
        return size;
    }

    private void forEach(IntFunction<Void> action) {
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<Future<Void>> done = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                int index = i;
                done.add(clients.submit(() -> action.apply(index)));
            }
            for (Future<Void> future : done) {
                future.get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            clients.shutdownNow();
        }
    }
}
