package io.tdkvs.it.support;

import java.io.StringReader;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.core.Response;

/**
 * A group of masters and its volumes, each a server process started as an operator starts one
 * ({@code ./tdkvs master|volume -config=<file>}) on free ports of 127.0.0.1, with configs, data and logs
 * in one folder. Masters can be killed, stopped (SIGTERM), frozen (SIGSTOP) and started again, and
 * their data folders wiped. Closing stops every server.
 */
public final class Group implements AutoCloseable {

    /** The admin token of every master's config. */
    public static final String ADMIN_TOKEN = "it-group-token-0123456789abcdef";
    /** The S3 credentials of every master's config: each serves S3 on a port of its own. */
    public static final String S3_ACCESS_KEY = "TDKVSGROUPKEY0000001";
    public static final String S3_SECRET = "it-group-secret-0123456789abcdef01234567";
    private static final Duration HEALTHY = Duration.ofSeconds(120);
    /** How long a founder with an empty folder waits for the others before it refuses (30 s by default). */
    private static final String OTHERS_WAIT = "5s";

    private final Path dir;
    private final List<Server> volumes = new ArrayList<>();
    private final List<Integer> volumePorts = new ArrayList<>();
    private final List<Server> masters = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private final List<Integer> replicationPorts = new ArrayList<>();
    private final List<Integer> s3Ports = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final String settings;
    /** A client whose requests give up soon: a frozen master must not hold a test for minutes. */
    private final Client quick = ClientBuilder.newBuilder().connectTimeout(1, TimeUnit.SECONDS).readTimeout(3, TimeUnit.SECONDS).build();

    private Group(Path dir, String settings) {
        this.dir = dir;
        this.settings = settings;
    }

    /** Starts {@code volumes} volumes, then {@code masters} masters listing them, with more lines for their configs. */
    public static Group start(String name, int masters, int volumes, String settings) {
        Group group = new Group(Folders.create(name), settings);
        try {
            List<Server> started = new ArrayList<>();
            for (int i = 0; i < volumes; i++) {
                started.add(group.newVolume());
            }
            for (int i = 0; i < masters; i++) {
                group.ports.add(Environment.freePort());
                group.replicationPorts.add(Environment.freePort());
                group.s3Ports.add(Environment.freePort());
                group.masters.add(null);
                group.names.add("master" + (i + 1));
            }
            for (int i = 0; i < masters; i++) {
                group.writeConfig(i);
            }
            IntStream.range(0, masters).forEach(group::launch); // at once: the founder waits for the volumes
            started.addAll(group.masters);
            Cluster.awaitAll(started);
            group.awaitHealthy();
            return group;
        } catch (RuntimeException e) {
            group.close();
            throw e;
        }
    }

    private Server newVolume() {
        int index = volumes.size();
        int port = Environment.freePort();
        Path config = Folders.write(dir, "volume" + index + ".yaml", "port: " + port + "\npath: volume" + index + "\n" + ClusterSecret.yaml());
        Server volume = Server.volume(config, port, dir.resolve("volume" + index + ".log")).start();
        volumes.add(volume);
        volumePorts.add(port);
        return volume;
    }

    /** Starts one more volume (not listed in the configs); answers its index. */
    public int addVolume() {
        newVolume().awaitReady();
        return volumes.size() - 1;
    }

    private void writeConfig(int index) {
        String members = IntStream.range(0, ports.size()).mapToObj(i -> "    - {name: " + name(i) + ", url: " + uri(i)
                + ", replication: '127.0.0.1:" + replicationPorts.get(i) + "'}").collect(Collectors.joining("\n"));
        String volumeList = volumePorts.subList(0, Math.min(3, volumePorts.size())).stream()
                .map(port -> "  - http://127.0.0.1:" + port).collect(Collectors.joining("\n"));
        Folders.write(dir, name(index) + ".yaml", "port: " + ports.get(index) + "\nvolumes:\n" + volumeList + "\ntoken: " + ADMIN_TOKEN + "\n" + ClusterSecret.yaml()
                + "s3Port: " + s3Ports.get(index) + "\ns3Keys:\n  - {accessKey: " + S3_ACCESS_KEY + ", secretKey: " + S3_SECRET + "}\n"
                + settings + "group:\n  self: " + name(index) + "\n  othersWait: " + OTHERS_WAIT + "\n  members:\n" + members + "\n");
    }

    private Server launch(int index) {
        Server master = Server.master(config(index), ports.get(index), dir.resolve(name(index) + ".log")).start();
        masters.set(index, master);
        return master;
    }

    /** Starts a stopped (or killed) master with its config and waits until it serves. */
    public void start(int index) {
        launch(index).awaitReady();
    }

    /** Starts stopped masters at once, and waits until each serves (as a majority must, to elect a leader). */
    public void startTogether(int... indexes) {
        List<Server> started = new ArrayList<>();
        for (int index : indexes) {
            started.add(launch(index));
        }
        Cluster.awaitAll(started);
    }

    /** kill -9. */
    public void kill(int index) {
        masters.get(index).kill();
    }

    /** SIGTERM, and waits for the process to end. */
    public void stop(int index) {
        masters.get(index).stop();
    }

    /** kill -STOP: the process hangs, as one cut off from the others looks to them. */
    public void freeze(int index) {
        masters.get(index).signal("STOP");
    }

    public void thaw(int index) {
        masters.get(index).signal("CONT");
    }

    /** Deletes a stopped master's data folder: its index is lost. */
    public void wipe(int index) {
        if (masters.get(index).alive()) {
            throw new IllegalStateException(name(index) + " is running");
        }
        Folders.remove(dir.resolve(name(index) + "-data"));
    }

    public boolean running(int index) {
        return masters.get(index) != null && masters.get(index).alive();
    }

    public Path config(int index) {
        return dir.resolve(name(index) + ".yaml");
    }

    public String name(int index) {
        return names.get(index);
    }

    /**
     * Another master takes the place of the one at {@code index}, under a new name, on new ports; every
     * member's config lists it instead (as an operator rewrites them). The process is not started.
     */
    public String replace(int index, String name) {
        if (running(index)) {
            throw new IllegalStateException(name(index) + " is running");
        }
        names.set(index, name);
        ports.set(index, Environment.freePort());
        replicationPorts.set(index, Environment.freePort());
        s3Ports.set(index, Environment.freePort());
        masters.set(index, null);
        for (int i = 0; i < size(); i++) {
            writeConfig(i);
        }
        return "{\"name\": \"" + name + "\", \"url\": \"" + uri(index) + "\", \"replication\": \"127.0.0.1:"
                + replicationPorts.get(index) + "\"}";
    }

    /** Starts a master that is expected to refuse to start; answers its exit status and log. */
    public Cluster.Run startRefused(int index) {
        Server master = launch(index);
        int status = master.awaitExit(Duration.ofMinutes(2));
        return new Cluster.Run(status, master.log());
    }

    public URI uri(int index) {
        return URI.create("http://127.0.0.1:" + ports.get(index));
    }

    /** The S3 endpoint of a master. */
    public URI s3Uri(int index) {
        return URI.create("http://127.0.0.1:" + s3Ports.get(index));
    }

    public List<URI> uris() {
        return IntStream.range(0, ports.size()).mapToObj(this::uri).toList();
    }

    public URI volumeUri(int index) {
        return URI.create("http://127.0.0.1:" + volumePorts.get(index));
    }

    public int size() {
        return masters.size();
    }

    public Server master(int index) {
        return masters.get(index);
    }

    public Path dir() {
        return dir;
    }

    /** A client that knows every master and goes on to the next when one fails. */
    public FailoverClient client() {
        return new FailoverClient(uris());
    }

    /** One master, directly. */
    public Store store(int index) {
        return new Store(uri(index));
    }

    /** {@code GET /admin/group} of a master, if it answers soon. */
    public Optional<JsonObject> group(int index) {
        try (Response response = quick.target(uri(index)).path("admin/group").request().get()) {
            if (response.getStatus() != 200) {
                return Optional.empty();
            }
            return Optional.of(Json.createReader(new StringReader(response.readEntity(String.class))).readObject());
        } catch (ProcessingException e) {
            return Optional.empty();
        }
    }

    /** The leader's index, as the first master that answers says; waits up to {@code timeout} for one. */
    public int leader(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (int i = 0; i < size(); i++) {
                if (!running(i)) {
                    continue;
                }
                Optional<String> leader = group(i).filter(view -> view.containsKey("leader") && !view.isNull("leader"))
                        .map(view -> view.getString("leader"));
                int index = leader.map(names::indexOf).orElse(-1);
                if (index >= 0 && running(index) && Readiness.ready(uri(index))) {
                    return index;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no leader within " + timeout);
            }
            Server.sleep(100);
        }
    }

    public int leader() {
        return leader(Duration.ofSeconds(60));
    }

    /** A master that follows the leader, as it says itself. */
    public int follower() {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < size(); i++) {
                if (running(i) && group(i).map(view -> view.getString("role")).filter("follower"::equals).isPresent()) {
                    return i;
                }
            }
            Server.sleep(100);
        }
        throw new AssertionError("no master follows within 60 s");
    }

    /**
     * Starts every master that is not running, and waits until each answers, every member answers
     * in the leader's view, and none is behind its log.
     */
    public void awaitHealthy() {
        for (int i = 0; i < size(); i++) {
            if (!running(i)) {
                launch(i);
            }
        }
        Cluster.awaitAll(masters);
        long deadline = System.nanoTime() + HEALTHY.toNanos();
        while (true) {
            int leader = leader(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            Optional<JsonObject> view = group(leader);
            if (view.isPresent() && view.get().getJsonArray("members").stream().map(member -> member.asJsonObject())
                    .filter(member -> names.contains(member.getString("name")))
                    .filter(member -> member.getBoolean("answers") && member.containsKey("lag") && member.getInt("lag") == 0
                            && member.getBoolean("joined")).count() == names.size()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the group is not whole after " + HEALTHY + ": " + view.map(Object::toString).orElse("?"));
            }
            Server.sleep(250);
        }
    }

    /** A master's log. */
    public String log(int index) {
        return masters.get(index).log();
    }

    @Override
    public void close() {
        List<Server> all = new ArrayList<>(volumes);
        masters.stream().filter(master -> master != null).forEach(all::add);
        for (Server master : masters) {
            if (master != null && master.alive()) {
                try {
                    master.signal("CONT");
                } catch (RuntimeException e) {
                    // ended meanwhile
                }
            }
        }
        CompletableFuture.allOf(all.stream().map(server -> CompletableFuture.runAsync(server::kill, Parallel.AT_ONCE))
                .toArray(CompletableFuture[]::new)).join();
        quick.close();
    }

}
