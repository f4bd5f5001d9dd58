package io.tdkvs.volume.blobs.control;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Makes files and folders durable (fsync). Many at once go to a pool of threads: concurrent fsyncs
 * share the file system's journal commits, so a batch costs a few commits instead of one per file.
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

    void files(Collection<Path> files) throws IOException {
        all(files, DiskSync::file);
    }

    void directories(Collection<Path> directories) throws IOException {
        all(directories, DiskSync::directory);
    }

    private void all(Collection<Path> paths, Sync sync) throws IOException {
        List<Future<?>> tasks = new ArrayList<>(paths.size());
        for (Path path : paths) {
            tasks.add(pool.submit(() -> {
                sync.run(path);
                return null;
            }));
        }
        for (Future<?> task : tasks) {
            try {
                task.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while syncing");
            }
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    private interface Sync {
        void run(Path path) throws IOException;
    }
}
