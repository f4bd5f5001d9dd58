package io.tdkvs.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Payara Micro's runtime, unpacked once per build: {@code java -jar payara-micro.jar} copies its 321 jars
 * (96 MiB) into a new temporary folder at every start; {@code --rootdir <folder> --outputlauncher} unpacks
 * them once, with a {@code launch-micro.jar} that starts from a flat class path (which a start-up cache needs).
 * Every server runs from a root folder of its own (Payara writes its domain and deployments there) whose
 * jars are hard links to the prepared ones, so a start copies a few small files, not 96 MiB.
 */
final class PayaraRuntime {

    static final String LAUNCHER = "launch-micro.jar";
    /** Payara Micro's own main class, which the launcher jar's main class (fixing the root folder to its own) calls. */
    static final String MAIN = "fish.payara.micro.impl.PayaraMicroImpl";
    private static final String SOURCE = "prepared-from";
    private static final long UNPACK_TIMEOUT_SECONDS = 300;

    private PayaraRuntime() {
    }

    /**
     * The prepared root folder {@code dir/root} for {@code payaraJar}, unpacked now by {@code java} if missing or
     * made from another jar. The caller holds the runtime's lock.
     */
    static Path prepare(ServerJava java, Path payaraJar, Path dir) {
        Path root = dir.resolve("root");
        String source = source(payaraJar);
        try {
            Path stamp = dir.resolve(SOURCE);
            if (Files.isRegularFile(root.resolve(LAUNCHER)) && Files.isRegularFile(stamp)
                    && Files.readString(stamp).equals(source)) {
                return root;
            }
            Files.createDirectories(dir);
            delete(root);
            Files.deleteIfExists(stamp);
            try (Stream<Path> caches = Files.list(dir)) { // they hold classes of the former runtime
                for (Path cache : (Iterable<Path>) caches.filter(StartupCache::isCacheFile)::iterator) {
                    Files.delete(cache);
                }
            }
            Path unpacking = dir.resolve("root.unpacking");
            delete(unpacking);
            List<String> command = new ArrayList<>();
            command.add(java.java().toString());
            command.addAll(java.requiredOptions());
            command.addAll(List.of("-jar", payaraJar.toString(), "--rootdir", unpacking.toString(), "--outputlauncher"));
            Path log = dir.resolve("unpack.log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!process.waitFor(UNPACK_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("unpacking " + payaraJar + " took more than " + UNPACK_TIMEOUT_SECONDS
                        + " s; see " + log);
            }
            if (process.exitValue() != 0 || !Files.isRegularFile(unpacking.resolve(LAUNCHER))) {
                throw new IllegalStateException("could not unpack " + payaraJar + " (exit status " + process.exitValue()
                        + "); see " + log);
            }
            Files.move(unpacking, root, StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(stamp, source);
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Payara Micro's runtime in " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while unpacking " + payaraJar, e);
        }
    }

    /**
     * A fresh root folder {@code into} for one server, made from the prepared {@code root}: the jars are linked
     * (copied where the file system cannot link), everything else is copied, since Payara rewrites it.
     */
    static Path instanceRoot(Path root, Path into) {
        try {
            delete(into);
            try (Stream<Path> files = Files.walk(root)) {
                for (Path source : (Iterable<Path>) files::iterator) {
                    Path target = into.resolve(root.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else if (isArchive(source)) {
                        link(source, target);
                    } else {
                        Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
            return into;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make Payara Micro's root folder " + into + " from " + root, e);
        }
    }

    /**
     * The JVM arguments that start Payara Micro from the prepared {@code root} itself, shared by every server
     * (the class path must be the very one a start-up cache was made with), with the server's own root folder
     * {@code into} (its config and lib folders, made anew) for what Payara writes.
     */
    static List<String> sharedLaunch(Path root, Path into) {
        try {
            delete(into);
            for (String folder : List.of("config", "lib")) {
                if (Files.isDirectory(root.resolve(folder))) {
                    instanceRoot(root.resolve(folder), into.resolve(folder));
                }
            }
            Files.createDirectories(into);
            List<String> arguments = new ArrayList<>(opens(root));
            Path launcher = root.resolve(LAUNCHER);
            arguments.add("-Dfish.payara.micro.BootJar=" + launcher.toUri());
            arguments.add("-Dfish.payara.micro.UnpackDir=" + root);
            arguments.addAll(List.of("-cp", launcher.toString(), MAIN, "--rootdir", into.toString()));
            return arguments;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make Payara Micro's root folder " + into, e);
        }
    }

    /** The module options the launcher jar's manifest gives, which a start by class name must repeat. */
    private static List<String> opens(Path root) throws IOException {
        for (String line : Files.readAllLines(root.resolve(".env"))) {
            if (line.startsWith("MICRO_OPENS=")) {
                String value = line.substring("MICRO_OPENS=".length()).replace("\"", "").strip();
                return value.isEmpty() ? List.of() : List.of(value.split("\\s+"));
            }
        }
        throw new IllegalStateException(root.resolve(".env") + " names no MICRO_OPENS; unpack Payara Micro again");
    }

    private static boolean isArchive(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".jar") || name.endsWith(".rar") || name.endsWith(".war");
    }

    private static void link(Path source, Path target) throws IOException {
        try {
            Files.createLink(target, source);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES); // another file system
        }
    }

    /** What a prepared runtime was made from: a rebuilt jar (another size or time) is unpacked again. */
    private static String source(Path payaraJar) {
        try {
            return payaraJar.toAbsolutePath().normalize() + " " + Files.size(payaraJar) + " "
                    + Files.getLastModifiedTime(payaraJar).toMillis() + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + payaraJar, e);
        }
    }

    static void delete(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(file);
            }
        }
    }
}
