package io.tdkvs.launch;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.tdkvs.protocol.BlobName;
import io.tdkvs.protocol.VolumeApi;

/**
 * The start-up cache (JDK 25's AOT cache, JEP 483 and 514) of the servers: the classes Payara Micro loads and
 * links to start, with their method profiles, kept in one file that every later start maps instead of loading
 * them again; a server then answers in about half the time. It is made once per JDK and prepared runtime, by a
 * training run: a volume on a free port of 127.0.0.1 with a throw-away folder, asked to store, serve and delete
 * blobs, first a few of each size, then thousands under load, then stopped (the JDK writes the cache as it exits). A failed training is reported once and
 * remembered; the servers then start without a cache.
 * <p>
 * The training run never limits the JIT compilers, whatever options the servers are given
 * ({@link #trainingOptions}): the profiles it keeps include the level each method was compiled at, and a
 * server started with the cache compiles every such method straight to that level and no further. Trained
 * with {@code -XX:TieredStopAtLevel=1} (as the integration suite runs its servers), every later server,
 * of any options, kept some 7,800 methods at C1's level 1, the request path and SHA-256 among them (1 KiB
 * GETs through the master at ~0.6x the rate of the same servers without the cache's profiles).
 */
final class StartupCache {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final long EXIT_TIMEOUT_SECONDS = 300;
    private static final int LOAD_CLIENTS = 8;
    private static final int LOAD_ROUNDS = 6000;
    private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(240);

    private StartupCache() {
    }

    /** A volume's options for the training run: without those that limit or hasten the JIT compilers. */
    static List<String> trainingOptions(List<String> volumeOptions) {
        return volumeOptions.stream().filter(option -> !option.startsWith("-XX:TieredStopAtLevel") && !option.equals("-Xint")
                && !option.equals("-XX:-TieredCompilation") && !option.startsWith("-XX:CompilationMode")
                && !option.startsWith("-XX:CompileThresholdScaling") && !option.equals("-Xcomp")).toList();
    }

    /** The file a cache for {@code java} lives in, in the runtime's folder. */
    static Path file(ServerJava java, Path dir) {
        return dir.resolve("startup-java" + java.version() + ".aot");
    }

    /** Whether {@code file} is a cache, or the note of a failed training, of some JDK. */
    static boolean isCacheFile(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith("startup-java") && (name.endsWith(".aot") || name.endsWith(".aot.failed"));
    }

    /**
     * The cache for {@code java}, made now if there is none and no training failed before; empty if it cannot
     * be had. The caller holds the runtime's lock.
     */
    static Optional<Path> ensure(ServerJava java, List<String> volumeOptions, Path root, Path volumeWar, Path dir,
                                 PrintStream log) {
        Path cache = file(java, dir);
        Path failed = Path.of(cache + ".failed");
        if (Files.isRegularFile(cache)) {
            return Optional.of(cache);
        }
        if (Files.isRegularFile(failed)) {
            return Optional.empty();
        }
        log.println("tdkvs: making the servers' start-up cache for Java " + java.version()
                + " (once per build, about a minute)");
        long started = System.nanoTime();
        Path training = dir.resolve("training");
        try {
            train(java, volumeOptions, root, volumeWar, training, cache);
            log.printf("tdkvs: start-up cache made in %.0f s: %s (%d MiB)%n", (System.nanoTime() - started) / 1e9, cache,
                    Files.size(cache) >> 20);
            PayaraRuntime.delete(training);
            return Optional.of(cache);
        } catch (IOException | RuntimeException e) {
            String reason = e instanceof UncheckedIOException u ? e.getMessage() + " (" + u.getCause().getMessage() + ")"
                    : e.getMessage();
            log.println("tdkvs: no start-up cache, the servers start without one: " + reason);
            try {
                Files.writeString(failed, reason + "\n");
            } catch (IOException ignored) {
                // tried again at the next start
            }
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static void train(ServerJava java, List<String> volumeOptions, Path root, Path volumeWar, Path training,
                              Path cache) throws IOException, InterruptedException {
        PayaraRuntime.delete(training);
        Files.createDirectories(training.resolve("tmp"));
        int port = freePort();
        Path config = Files.writeString(training.resolve("volume.yaml"),
                "port: " + port + "\nbind: 127.0.0.1\npath: " + training.resolve("volume") + "\nscrubRate: 0\n");
        Path output = Path.of(cache + ".making");
        Files.deleteIfExists(output);
        PayaraCommand payara = new PayaraCommand(ServerRole.VOLUME, config, port, "127.0.0.1");
        payara.jvmOptions(trainingOptions(volumeOptions));
        List<String> command = new ArrayList<>();
        command.add(java.java().toString());
        command.addAll(java.requiredOptions());
        command.add("-XX:AOTCacheOutput=" + output);
        command.add("-Djava.io.tmpdir=" + training.resolve("tmp"));
        command.addAll(payara.jvmArguments());
        command.addAll(PayaraRuntime.sharedLaunch(root, training.resolve("root")).arguments());
        command.addAll(payara.payaraArguments(training));
        command.addAll(List.of("--deploy", volumeWar.toString()));
        Path log = training.getParent().resolve("training.log");
        Process volume = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            exercise(volume, port, log);
        } finally {
            volume.destroy(); // SIGTERM: the JDK writes the cache as the server exits
            if (!volume.waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                volume.destroyForcibly();
            }
        }
        if (!Files.isRegularFile(output) || Files.size(output) == 0) {
            throw new IllegalStateException("the training run wrote no cache; see " + log);
        }
        Files.move(output, cache, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Waits until the volume is ready, then stores, serves and deletes a blob, and reads its status and metrics. */
    private static void exercise(Process volume, int port, Path log) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI base = URI.create("http://127.0.0.1:" + port + "/");
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (status(http, HttpRequest.newBuilder(base.resolve("health/ready"))) != 200) {
            if (!volume.isAlive()) {
                throw new IllegalStateException("the training server ended with " + volume.exitValue() + "; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the training server was not ready within " + READY_TIMEOUT.toSeconds()
                        + " s; see " + log);
            }
            Thread.sleep(200);
        }
        for (int i = 0; i < 20; i++) {
            storeReadDelete(http, base, "start-up cache " + i, i + 1, new byte[1024 * (i + 1)], log);
        }
        for (String path : List.of(VolumeApi.BLOBS, VolumeApi.STATUS, "health", "metrics")) {
            expect(http, HttpRequest.newBuilder(base.resolve(path)), 200, log);
        }
        load(base, log);
    }

    /**
     * The request path under load, so that the profiles the cache keeps are those of a server at work: {@value #LOAD_CLIENTS}
     * clients on keep-alive connections store, read and delete {@value #LOAD_ROUNDS} blobs of 1 KiB between them.
     */
    private static void load(URI base, Path log) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService clients = Executors.newFixedThreadPool(LOAD_CLIENTS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int client = 0; client < LOAD_CLIENTS; client++) {
                int first = client * (LOAD_ROUNDS / LOAD_CLIENTS);
                done.add(clients.submit(() -> {
                    byte[] value = new byte[1024];
                    for (int i = first; i < first + LOAD_ROUNDS / LOAD_CLIENTS; i++) {
                        storeReadDelete(http, base, "start-up load " + i, 1, value, log);
                    }
                    return null;
                }));
            }
            long deadline = System.nanoTime() + LOAD_TIMEOUT.toNanos();
            for (Future<?> client : done) {
                try {
                    client.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                } catch (TimeoutException e) {
                    throw new IllegalStateException("the training load did not end within " + LOAD_TIMEOUT.toSeconds()
                            + " s; see " + log);
                }
            }
        } finally {
            clients.shutdownNow();
        }
    }

    /** Stores a blob of {@code key} and {@code generation} on the volume, reads it back and deletes it. */
    private static void storeReadDelete(HttpClient http, URI base, String key, long generation, byte[] value, Path log) {
        byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
        URI blob = base.resolve(VolumeApi.BLOBS + "/" + BlobName.of(utf8, generation));
        expect(http, HttpRequest.newBuilder(blob).header(VolumeApi.KEY, VolumeApi.keyHeader(utf8))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(value)), 201, log);
        expect(http, HttpRequest.newBuilder(blob), 200, log);
        expect(http, HttpRequest.newBuilder(blob).DELETE(), 204, log);
    }

    private static void expect(HttpClient http, HttpRequest.Builder request, int expected, Path log) {
        int status = status(http, request);
        if (status != expected) {
            throw new IllegalStateException("the training server answered " + status + " to a request it should answer "
                    + expected + "; see " + log);
        }
    }

    private static int status(HttpClient http, HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }
}
