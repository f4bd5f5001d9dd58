package io.tdkvs.it.support;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One tdkvs server process, started the way an operator starts it ({@code ./tdkvs master|volume
 * -config=<file>}) with the tests' JVM options, its output in a log file. Stopping sends SIGTERM and
 * waits, then kills; a server is always stopped by whoever started it.
 * Each has a temp directory of its own beside its log, removed once the process has ended (see
 * {@link Folders#remove}).
 */
public final class Server implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    private final String role;
    private final Path config;
    private final int port;
    private final Path log;
    private final List<String> extraArgs;
    private final Path temp;
    private Process process;

    Server(String role, Path config, int port, Path log, List<String> extraArgs) {
        this.role = role;
        this.config = config;
        this.port = port;
        this.log = log;
        this.extraArgs = List.copyOf(extraArgs);
        this.temp = log.resolveSibling(log.getFileName() + ".tmp");
    }

    public static Server master(Path config, int port, Path log, String... extraArgs) {
        return new Server("master", config, port, log, List.of(extraArgs));
    }

    public static Server volume(Path config, int port, Path log) {
        return new Server("volume", config, port, log, List.of());
    }

    public Server start() {
        List<String> command = new ArrayList<>(List.of(Environment.home().resolve("tdkvs").toString(), role,
                "-config=" + config));
        command.addAll(extraArgs);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("TDKVS_JAVA_OPTS", Environment.javaOpts() + " -Djava.io.tmpdir=" + temp);
        try {
            Files.createDirectories(temp);
            Files.writeString(log, "---- " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command, e);
        }
        return this;
    }

    /** Waits until {@code /health/ready} answers 200; fails with the log's tail if the process ends first. */
    public Server awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(role + " on port " + port + " exited with " + process.exitValue()
                        + " before it was ready:\n" + logTail());
            }
            if (ready()) {
                return this;
            }
            sleep(250);
        }
        throw new IllegalStateException(role + " on port " + port + " not ready after " + READY_TIMEOUT + ":\n" + logTail());
    }

    /** Waits for the process to end by itself (e.g. a delete run); answers its exit status. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(role + " still running after " + timeout + ":\n" + logTail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        removeTemp();
        return process.exitValue();
    }

    public boolean ready() {
        return Readiness.ready(uri());
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    public Path config() {
        return config;
    }

    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public String logTail() {
        String text = log();
        return text.length() <= 6000 ? text : "..." + text.substring(text.length() - 6000);
    }

    /** SIGTERM, then SIGKILL after 30 s. */
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
        removeTemp();
    }

    /** SIGKILL: a crash. */
    public void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        removeTemp();
    }

    /** Sends a signal by name ({@code STOP}, {@code CONT}, ...) to the server's process. */
    public void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    /** Removes the ended process's temp directory. */
    private void removeTemp() {
        if (process.isAlive()) {
            return;
        }
        Folders.remove(temp);
    }

    @Override
    public void close() {
        stop();
    }

    /** Sleeps; an interruption fails the test. */
    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
