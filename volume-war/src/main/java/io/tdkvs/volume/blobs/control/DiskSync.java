package io.tdkvs.volume.blobs.control;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Makes files and folders durable (fsync), and runs work that ends in fsyncs for many items at once,
 * in a pool of threads: concurrent fsyncs share the file system's journal commits and keep the disk's
 * queue full, so a batch takes about as long as one item.
 */
final class DiskSync implements AutoCloseable {

    private static final int THREADS = 16;

    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS, task -> {
        Thread thread = new Thread(task, "tdkvs-fsync");
        thread.setDaemon(true);
        return thread;
    });

    static void file(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    static void directory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /**
     * Runs {@code task} for each item, at the same time: the first in the calling thread, the others
     * in the pool. Answers when all have ended; throws the first failure.
     */
    <T> void each(List<T> items, Task<T> task) throws IOException {
        List<Future<?>> others = new ArrayList<>(items.size());
        for (T item : items.subList(Math.min(1, items.size()), items.size())) {
            others.add(pool.submit(() -> {
                task.run(item);
                return null;
            }));
        }
        IOException failure = null;
        if (!items.isEmpty()) {
            try {
                task.run(items.get(0));
            } catch (IOException e) {
                failure = e;
            }
        }
        for (Future<?> other : others) {
            try {
                other.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while syncing");
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    interface Task<T> {
        void run(T item) throws IOException;
    }
}
