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
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Payara Micro's runtime, unpacked once per build: {@code java -jar payara-micro.jar} copies its 321 jars
 * (96 MiB) into a new temporary folder at every start; {@code --rootdir <folder> --outputlauncher} unpacks
 * them once, with a {@code launch-micro.jar} that starts from a flat class path (which a start-up cache needs).
 * Every server runs from a root folder of its own (Payara writes its domain and deployments there) whose
 * jars are hard links to the prepared ones, so a start copies a few small files, not 96 MiB. With a start-up
 * cache, servers start from the prepared root itself through {@value #INSTANCE_LAUNCHER}, a jar of a manifest
 * only: Payara Micro's main class on the launcher jar's class path, with its module options, and no fixed root
 * folder, so that {@code java -jar} (the way the integration suite's Arquillian containers start a server) runs
 * on the class path the cache was made with.
 */
final class PayaraRuntime {

    static final String LAUNCHER = "launch-micro.jar";
    static final String INSTANCE_LAUNCHER = "launch-instance.jar";
    /** Payara Micro's version, in a prepared root and in its jar (the Arquillian container reads it from the jar). */
    static final String VERSION_FILE = "config/branding/glassfish-version.properties";
    static final String VERSION_ENTRY = "MICRO-INF/domain/branding/glassfish-version.properties";
    /** Changes when a prepared root holds other files: a root prepared before is unpacked again. */
    private static final String LAYOUT = "layout 2 (" + INSTANCE_LAUNCHER + ")";
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
            if (Files.isRegularFile(root.resolve(INSTANCE_LAUNCHER)) && Files.isRegularFile(stamp)
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
            writeInstanceLauncher(unpacking);
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
     * Writes {@value #INSTANCE_LAUNCHER} beside {@value #LAUNCHER} in {@code root}: Payara Micro's own main class,
     * the launcher jar as class path, and the launcher jar's module options ({@code Add-Opens}, {@code Add-Exports});
     * besides the manifest, only the file that says Payara Micro's version, where its own jar has it.
     */
    static void writeInstanceLauncher(Path root) throws IOException {
        Manifest launcher;
        try (JarFile jar = new JarFile(root.resolve(LAUNCHER).toFile())) {
            launcher = jar.getManifest();
        }
        if (launcher == null) {
            throw new IllegalStateException(root.resolve(LAUNCHER) + " has no manifest; unpack Payara Micro again");
        }
        Manifest manifest = new Manifest();
        Attributes attributes = manifest.getMainAttributes();
        attributes.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        attributes.put(Attributes.Name.MAIN_CLASS, MAIN);
        attributes.put(Attributes.Name.CLASS_PATH, LAUNCHER);
        for (String name : List.of("Add-Opens", "Add-Exports")) {
            String value = launcher.getMainAttributes().getValue(name);
            if (value != null) {
                attributes.putValue(name, value);
            }
        }
        Path written = root.resolve(INSTANCE_LAUNCHER + ".writing");
        Path version = root.resolve(VERSION_FILE);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(written), manifest)) {
            if (Files.isRegularFile(version)) { // where Payara Micro's jar keeps its version, which tools read from it
                out.putNextEntry(new JarEntry(VERSION_ENTRY));
                Files.copy(version, out);
                out.closeEntry();
            }
        }
        Files.move(written, root.resolve(INSTANCE_LAUNCHER), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
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
     * {@code into} (its config and lib folders, made anew) for what Payara writes: system properties, then
     * {@code -jar} {@value #INSTANCE_LAUNCHER} and {@code --rootdir into}.
     */
    static JarStart sharedLaunch(Path root, Path into) {
        try {
            delete(into);
            for (String folder : List.of("config", "lib")) {
                if (Files.isDirectory(root.resolve(folder))) {
                    instanceRoot(root.resolve(folder), into.resolve(folder));
                }
            }
            Files.createDirectories(into);
            return new JarStart(List.of("-Dfish.payara.micro.BootJar=" + root.resolve(LAUNCHER).toUri(),
                    "-Dfish.payara.micro.UnpackDir=" + root), root.resolve(INSTANCE_LAUNCHER), List.of("--rootdir", into.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make Payara Micro's root folder " + into, e);
        }
    }

    /**
     * How Payara Micro starts from a jar: {@code <properties> -jar <jar> <options>}, between the JVM's own options
     * and Payara Micro's.
     */
    record JarStart(List<String> properties, Path jar, List<String> options) {

        JarStart {
            properties = List.copyOf(properties);
            options = List.copyOf(options);
        }

        /** A start by the jar alone. */
        static JarStart of(Path jar) {
            return new JarStart(List.of(), jar, List.of());
        }

        List<String> arguments() {
            List<String> arguments = new ArrayList<>(properties);
            arguments.addAll(List.of("-jar", jar.toString()));
            arguments.addAll(options);
            return arguments;
        }
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
                    + Files.getLastModifiedTime(payaraJar).toMillis() + " " + LAYOUT + "\n";
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
