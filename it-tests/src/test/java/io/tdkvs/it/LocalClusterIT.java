package io.tdkvs.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.tdkvs.it.support.Dataset;
import io.tdkvs.it.support.Environment;
import io.tdkvs.it.support.Folders;
import io.tdkvs.it.support.Readiness;
import io.tdkvs.it.support.Store;

/**
 * {@code ./tdkvs local}: a master and three volumes that start together and stop together, on a signal
 * to the script (started in the background by a script, as CI and supervisors do) or when any of them
 * ends; and the operator's config, which later starts keep as it is.
 */
class LocalClusterIT {

    private static final Duration STOP = Duration.ofSeconds(60);

    /**
     * SIGINT stops all four; the next start keeps the operator's config and the data, and when one of its
     * servers ends, the script stops the others. (SIGTERM: the group test below.)
     */
    @Test
    void sigintOrAServerThatEndsStopsAllFourAndTheOperatorsConfigIsKept() throws Exception {
        Path dir = folder("signals");
        int port = Environment.freePorts(4);
        try (Local first = Local.start(dir, port)) {
            first.awaitReady();
            assertEquals(4, first.servers().size(), first::output);
            assertEquals(201, new Store(first.master()).put("local-key", "kept".getBytes(StandardCharsets.UTF_8)).status());
            first.signal("INT");
            assertEquals(130, first.awaitExit(), first::output);
            assertEquals(List.of(), first.servers(), "every server stopped on SIGINT");
        }

        Path config = dir.resolve("master.yaml");
        String edited = Files.readString(config) + "moveRate: 500\n";
        Files.writeString(config, edited);
        try (Local second = Local.start(dir, port + 50)) {
            second.awaitReady();
            assertEquals(edited, Files.readString(config), "the operator's config is as they left it");
            assertEquals("kept", new Store(second.master()).get("local-key").text(), "the data is kept too");
            second.server("volume2.yaml").destroyForcibly();
            assertEquals(1, second.awaitExit(), second::output);
            assertTrue(second.output().contains("volume2 ended; stopping the others"), second::output);
            assertEquals(List.of(), second.servers(), "the other three stopped");
        }
    }

    /**
     * The procedure of docs/running.md that makes a master on its own the first member of a group of three; the
     * group then goes on when one master ends (the script says how to restart it), and the script stops
     * everything once most masters are gone.
     */
    @Test
    void aMasterOnItsOwnBecomesTheFirstOfAGroupOfThreeThatGoesOnWithoutOne() throws Exception {
        Path dir = folder("to-group");
        int port = Environment.freePorts(LocalGroup.SPAN);
        Dataset data = new Dataset("converted", 600);
        try (Local single = Local.start(dir, port)) {
            single.awaitReady();
            data.write(new Store(single.master()));
            single.signal("TERM");
            assertEquals(143, single.awaitExit(), single::output);
            assertEquals(List.of(), single.servers(), "every server stopped on SIGTERM");
        }

        LocalGroup.convert(dir, port);
        try (Local group = Local.start(dir, port)) {
            group.awaitReady();
            assertTrue(group.output().contains("tdkvs: ready: a group of 3 masters"), group::output);
            List<URI> masters = LocalGroup.masters(port);
            for (URI master : masters) {
                data.verify(new Store(master));
            }
            assertEquals(201, new Store(masters.get(2)).put("after-conversion", "new".getBytes(StandardCharsets.UTF_8)).status());
            assertEquals("new", new Store(masters.get(0)).get("after-conversion").text());
            assertTrue(Files.readString(dir.resolve("master1.log")).contains("converting the index of a master on its own"));

            ProcessHandle master2 = group.server("master2.yaml");
            master2.destroyForcibly();
            master2.onExit().get(60, TimeUnit.SECONDS);
            awaitOutput(group, "master2 ended (see ");
            assertTrue(group.output().contains("the group goes on with 2 of 3 masters. Restart it with: "), group::output);
            assertEquals("new", new Store(masters.get(0)).get("after-conversion").text(), "the group serves without it");

            group.server("master3.yaml").destroyForcibly();
            assertEquals(1, group.awaitExit(), group::output);
            assertTrue(group.output().contains("master3 ended and only 1 of 3 masters answer: the group cannot go on"),
                    group::output);
            assertEquals(List.of(), group.servers(), "every server stopped");
        }
    }

    private static void awaitOutput(Local local, String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!local.output().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no \"" + text + "\" in:\n" + local.output());
            }
            Thread.sleep(100);
        }
    }

    /** What docs/running.md says to do to make the master of a local cluster the first of a group of three. */
    private static final class LocalGroup {

        /** The ports a local group takes above its first: masters at +0, +10, +20, replicating at +100, +110, +120. */
        static final int SPAN = 121;

        static List<URI> masters(int port) {
            return List.of(URI.create("http://127.0.0.1:" + port), URI.create("http://127.0.0.1:" + (port + 10)),
                    URI.create("http://127.0.0.1:" + (port + 20)));
        }

        static void convert(Path dir, int port) throws IOException {
            Files.move(dir.resolve("master.yaml"), dir.resolve("master1.yaml"));
            Files.move(dir.resolve("master-data"), dir.resolve("master1-data"));
            String single = Files.readString(dir.resolve("master1.yaml"));
            String members = "  members:\n"
                    + "    - {name: master1, url: 'http://127.0.0.1:" + port + "', replication: '127.0.0.1:" + (port + 100) + "'}\n"
                    + "    - {name: master2, url: 'http://127.0.0.1:" + (port + 10) + "', replication: '127.0.0.1:" + (port + 110) + "'}\n"
                    + "    - {name: master3, url: 'http://127.0.0.1:" + (port + 20) + "', replication: '127.0.0.1:" + (port + 120) + "'}\n";
            for (int i = 1; i <= 3; i++) {
                int own = port + (i - 1) * 10;
                String config = single.replace("\nport: " + port + "\n", "\nport: " + own + "\n")
                        .replace("s3Port: " + (port + 900) + "\n", "s3Port: " + (own + 900) + "\n")
                        + "group:\n  self: master" + i + "\n" + members;
                Files.writeString(dir.resolve("master" + i + ".yaml"), config);
            }
        }
    }

    private static Path folder(String name) throws IOException {
        return Files.createDirectories(Environment.target().resolve("local-cluster-it").resolve(name + "-" + System.currentTimeMillis()));
    }

    /** {@code ./tdkvs local <dir>}, started in the background by a shell script, as a supervisor would. */
    private static final class Local implements AutoCloseable {
        private final Process shell;
        private final Path dir;
        private final Path log;
        private final long pid;

        private Local(Process shell, Path dir, Path log, long pid) {
            this.shell = shell;
            this.dir = dir;
            this.log = log;
            this.pid = pid;
        }

        static Local start(Path dir, int port) throws IOException {
            Path log = dir.resolve("tdkvs-local-" + port + ".out");
            Path pidFile = dir.resolve("tdkvs-local.pid");
            Files.deleteIfExists(pidFile);
            ProcessBuilder builder = new ProcessBuilder("bash", "-c", "\"$0\" local \"$1\" > \"$2\" 2>&1 & echo $! > \"$3\"; wait $!",
                    Environment.home().resolve("tdkvs").toString(), dir.toString(), log.toString(), pidFile.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.environment().put("TDKVS_LOCAL_PORT", Integer.toString(port));
            builder.environment().put("TDKVS_JAVA_OPTS", Environment.javaOpts() + " -Djava.io.tmpdir=" + temp(dir));
            Files.createDirectories(temp(dir));
            Process shell = builder.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!Files.exists(pidFile) || Files.readString(pidFile).isBlank()) {
                if (System.nanoTime() > deadline) {
                    shell.destroyForcibly();
                    throw new IllegalStateException("./tdkvs local did not start");
                }
                sleep(20);
            }
            return new Local(shell, dir, log, Long.parseLong(Files.readString(pidFile).strip()));
        }

        /** Where the master (the first of a group) answers, as its config says. */
        URI master() throws IOException {
            Path single = dir.resolve("master.yaml");
            String yaml = Files.readString(Files.exists(single) ? single : dir.resolve("master1.yaml"));
            String masterPort = yaml.lines().filter(line -> line.startsWith("port:")).findFirst().orElseThrow().substring(5).strip();
            return URI.create("http://127.0.0.1:" + masterPort);
        }

        void awaitReady() throws IOException {
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            while (!output().contains("tdkvs: ready:")) {
                if (System.nanoTime() > deadline || !shell.isAlive()) {
                    throw new AssertionError("./tdkvs local is not ready:\n" + output());
                }
                sleep(200);
            }
            Readiness.await(master());
        }

        void signal(String signal) throws Exception {
            assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor());
        }

        /** Waits for the script to end; answers its exit status. */
        int awaitExit() throws Exception {
            ProcessHandle script = ProcessHandle.of(pid).orElse(null);
            if (script != null) {
                script.onExit().get(STOP.toSeconds(), TimeUnit.SECONDS);
            }
            assertTrue(shell.waitFor(STOP.toSeconds(), TimeUnit.SECONDS), "the script ended");
            assertTrue(output().contains("tdkvs: local cluster stopped"), output());
            return shell.exitValue();
        }

        /** The running server whose config file is {@code config}. */
        ProcessHandle server(String config) {
            return servers().stream().filter(server -> server.info().commandLine().orElse("").contains(dir.resolve(config).toString()))
                    .findFirst().orElseThrow(() -> new AssertionError("no server runs with " + config));
        }

        /** The servers of this cluster still running: Payara Micro processes with a config of its folder. */
        List<ProcessHandle> servers() {
            return ProcessHandle.allProcesses()
                    .filter(process -> process.info().commandLine().orElse("").contains("-Dtdkvs.config=" + dir))
                    .toList();
        }

        String output() {
            try {
                return Files.exists(log) ? Files.readString(log) : "(no output yet)";
            } catch (IOException e) {
                return "(" + e.getMessage() + ")";
            }
        }

        /** The servers' temp directory (see {@link Folders#remove}). */
        private static Path temp(Path dir) {
            return dir.resolve("tmp");
        }

        @Override
        public void close() throws Exception {
            List<ProcessHandle> running = servers();
            running.forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle server : running) {
                server.onExit().get(STOP.toSeconds(), TimeUnit.SECONDS);
            }
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            shell.destroyForcibly();
            Folders.remove(temp(dir));
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
