package io.tdkvs.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Folders the tests make for their servers. */
public final class Folders {

    private Folders() {
    }

    /**
     * Removes a folder and all it holds, as far as it can: a folder left behind costs disk, not a test.
     * Payara Micro unpacks its runtime (about 100 MB) into its JVM's temp directory and removes it when it
     * stops, but not when it is killed: servers the tests start get a temp directory of their own, removed
     * with this once they have ended.
     */
    public static void remove(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // see above
        }
    }

    /** A new folder for the servers of a test, {@code <target>/it-clusters/<name>-<time>}. */
    public static Path create(String name) {
        try {
            return Files.createDirectories(Environment.target().resolve("it-clusters").resolve(name + "-" + System.currentTimeMillis()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a (config) file into a folder; answers its path. */
    public static Path write(Path dir, String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
