package io.tdkvs.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import jakarta.json.JsonObject;

/**
 * A master and its volumes, each a server process on a free port of 127.0.0.1, with their configs,
 * data and logs in one folder. Volumes are started together, then the master. Closing stops all.
 */
public final class Cluster implements AutoCloseable {

    /** The master's admin token, in every config this writes. */
    public static final String ADMIN_TOKEN = "it-admin-token-0123456789abcdef";

    private final Path dir;
    private final List<Server> volumes = new ArrayList<>();
    private List<Integer> listed = new ArrayList<>();
    private Server master;
    private final int masterPort = Environment.freePort();
    private int masterRuns;
    private String extraSettings = "";

    private Cluster(Path dir) {
        this.dir = dir;
    }

    /** Starts {@code volumes} volumes and a master that lists them all. */
    public static Cluster start(String name, int volumes) {
        return start(name, volumes, "");
    }

    /** Starts {@code volumes} volumes and a master that lists them all, with more lines for its config (YAML). */
    public static Cluster start(String name, int volumes, String masterSettings) {
        Cluster cluster = new Cluster(Folders.create(name));
        cluster.extraSettings = masterSettings;
        try {
            List<Server> started = new ArrayList<>();
            for (int i = 0; i < volumes; i++) {
                started.add(cluster.newVolume());
            }
            cluster.listed = new ArrayList<>(java.util.stream.IntStream.range(0, volumes).boxed().toList());
            cluster.launchMaster(); // at once, as ./tdkvs local does: the master waits for volumes that do not answer yet
            started.add(cluster.master);
            awaitAll(started);
            cluster.masterRuns++;
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** Starts one more volume (not yet listed in the master's config); answers its index. */
    public int addVolume() {
        newVolume().awaitReady();
        return volumes.size() - 1;
    }

    private Server newVolume() {
        int index = volumes.size();
        int port = Environment.freePort();
        Path config = Folders.write(dir, "volume" + index + ".yaml", "port: " + port + "\npath: volume" + index + "\n" + ClusterSecret.yaml());
        Server volume = Server.volume(config, port, dir.resolve("volume" + index + ".log")).start();
        volumes.add(volume);
        return volume;
    }

    /** Writes the master's config listing these volumes, in this order. */
    public Path listVolumes(List<Integer> indexes) {
        listed = new ArrayList<>(indexes);
        String urls = indexes.stream().map(i -> "  - " + volumes.get(i).uri()).collect(Collectors.joining("\n"));
        return Folders.write(dir, "master.yaml", "port: " + masterPort + "\nvolumes:\n" + urls + "\ntoken: " + ADMIN_TOKEN + "\n" + ClusterSecret.yaml() + extraSettings);
    }

    /** More lines for the master's config (YAML), from its next start on. */
    public void masterSettings(String yaml) {
        extraSettings = yaml;
    }

    public void startMaster() {
        launchMaster().awaitReady();
        masterRuns++;
    }

    private Server launchMaster() {
        Path config = listVolumes(listed);
        master = Server.master(config, masterPort, dir.resolve("master.log")).start();
        return master;
    }

    public void stopMaster() {
        master.stop();
    }

    public void restartMaster() {
        master.stop();
        startMaster();
    }

    /** Runs {@code tdkvs master -config=<the master's config> <args>} to its end; answers the run. */
    public Run runMaster(String... args) {
        Path log = dir.resolve("master-run" + (++masterRuns) + ".log");
        Server run = Server.master(dir.resolve("master.yaml"), masterPort, log, args).start();
        try {
            int status = run.awaitExit(java.time.Duration.ofMinutes(5));
            return new Run(status, run.log());
        } finally {
            run.kill();
        }
    }

    /** Runs {@code tdkvs verify -config=<the master's config>} against the running master to its end. */
    public Run runVerify() {
        Path log = dir.resolve("verify" + (++masterRuns) + ".log");
        ProcessBuilder builder = new ProcessBuilder(Environment.home().resolve("tdkvs").toString(), "verify",
                "-config=" + dir.resolve("master.yaml")).redirectErrorStream(true).redirectOutput(log.toFile());
        Process verify;
        try {
            verify = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            if (!verify.waitFor(5, java.util.concurrent.TimeUnit.MINUTES)) {
                throw new AssertionError("tdkvs verify did not end in 5 minutes");
            }
            return new Run(verify.exitValue(), Files.readString(log));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            verify.destroyForcibly();
        }
    }

    /** Adds a started volume to the running master through the admin API. */
    public Reply addOnline(int volumeIndex) {
        return Admin.change(store(), "volumes", volumes.get(volumeIndex).uri(), Admin.bearer(ADMIN_TOKEN));
    }

    /** Starts draining a volume on the running master through the admin API. */
    public Reply drainOnline(int volumeIndex) {
        return Admin.change(store(), "volumes/drain", volumes.get(volumeIndex).uri(), Admin.bearer(ADMIN_TOKEN));
    }

    /** The master's {@code GET /admin/migration}. */
    public JsonObject migration() {
        return Admin.migration(store());
    }

    /** Waits until no migration runs; answers the last {@code GET /admin/migration}. */
    public JsonObject awaitMigration(Duration timeout) {
        return Admin.awaitMigration(store(), timeout);
    }

    /** The master, through the JAX-RS client. */
    public Store store() {
        return new Store(masterUri());
    }

    public Server volume(int index) {
        return volumes.get(index);
    }

    public Server master() {
        return master;
    }

    public URI masterUri() {
        return URI.create("http://127.0.0.1:" + masterPort);
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        List<Server> all = new ArrayList<>(volumes);
        if (master != null) {
            all.add(master);
        }
        CompletableFuture.allOf(all.stream().map(server -> CompletableFuture.runAsync(server::stop, Parallel.AT_ONCE))
                .toArray(CompletableFuture[]::new)).join();
    }

    /** How a run of the master that ends by itself ended. */
    public record Run(int status, String output) {
    }

    static void awaitAll(List<Server> servers) {
        CompletableFuture.allOf(servers.stream().map(server -> CompletableFuture.runAsync(server::awaitReady, Parallel.AT_ONCE))
                .toArray(CompletableFuture[]::new)).join();
    }

}
