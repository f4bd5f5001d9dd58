package io.tdkvs.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Numbers the test JVMs that run at once: each takes the lock of the first {@code <n>.lock} in a folder that
 * no other holds, and keeps it (and so its number) until it ends, when the operating system lets it go.
 */
final class ForkLock {

    private static final List<FileChannel> held = new ArrayList<>();

    private ForkLock() {
    }

    static synchronized int take(Path folder) {
        try {
            Files.createDirectories(folder);
            for (int n = 1; ; n++) {
                FileChannel channel = FileChannel.open(folder.resolve(n + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    held.add(channel);
                    return n;
                }
                channel.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("numbering the test JVM in " + folder, e);
        }
    }
}
