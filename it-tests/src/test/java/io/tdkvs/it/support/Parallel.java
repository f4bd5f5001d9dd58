package io.tdkvs.it.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/** Runs a check for many items at once, as many clients would: 16 at a time; the first failure fails it all. */
public final class Parallel {

    private static final int CLIENTS = 16;

    /**
     * Runs each task on a thread of its own, at once: for {@code CompletableFuture.supplyAsync} and
     * {@code runAsync}, whose default pool runs them one after the other where the common pool has one
     * thread (on two cores, on Java 25; Java 17 gave them a thread each).
     */
    public static final Executor AT_ONCE = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "it-at-once");
        thread.setDaemon(true);
        return thread;
    });

    private Parallel() {
    }

    /** {@code action} for every index in [0, count). */
    public static void forEach(int count, IntConsumer action) {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                done.add(clients.submit(() -> action.accept(index)));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } catch (ExecutionException e) {
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
