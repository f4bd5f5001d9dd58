import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kills the leader of a running local group of masters (./tdkvs local --masters 3) at random moments
 * under writers that go to the next master when one fails, restarts it, and measures: the time from
 * each kill to the first acknowledged write sent after it, and the acknowledged writes that do not read
 * back, byte for byte, through the leader once the group is whole again.
 *
 *   java bench/HaProbe.java DIR KILLS [WRITERS]
 *
 * DIR is the local cluster's folder (master1.yaml, ...); the tdkvs script next to this file restarts
 * the killed master. Talks to 127.0.0.1 only.
 */
public final class HaProbe {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).build();
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final Path dir;
    private final List<String> names = new ArrayList<>();
    private final List<URI> urls = new ArrayList<>();
    private final Map<String, byte[]> acknowledged = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<long[]> acks = new ConcurrentLinkedQueue<>();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean stopping;

    private HaProbe(Path dir) throws IOException {
        this.dir = dir;
        for (int i = 1; Files.exists(dir.resolve("master" + i + ".yaml")); i++) {
            Matcher port = Pattern.compile("(?m)^port: *(\\d+)").matcher(Files.readString(dir.resolve("master" + i + ".yaml")));
            if (!port.find()) {
                throw new IllegalStateException("no port in master" + i + ".yaml");
            }
            names.add("master" + i);
            urls.add(URI.create("http://127.0.0.1:" + port.group(1)));
        }
        if (names.size() < 3) {
            throw new IllegalStateException(dir + " holds no group of masters (master1.yaml, master2.yaml, ...)");
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: java HaProbe.java DIR KILLS [WRITERS]");
            System.exit(2);
        }
        HaProbe probe = new HaProbe(Path.of(args[0]).toAbsolutePath());
        int kills = Integer.parseInt(args[1]);
        int writers = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        probe.run(kills, writers, new Random());
    }

    private void run(int kills, int writerCount, Random random) throws Exception {
        awaitWhole();
        ExecutorService writers = Executors.newFixedThreadPool(writerCount);
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < writerCount; i++) {
            int writer = i;
            running.add(writers.submit(() -> write(writer)));
        }
        List<Double> failovers = new ArrayList<>();
        List<String> killed = new ArrayList<>();
        for (int kill = 1; kill <= kills; kill++) {
            Thread.sleep(2000 + random.nextInt(3000));
            int leader = leader();
            ProcessHandle process = process(names.get(leader));
            long at = System.nanoTime();
            process.destroyForcibly();
            process.onExit().get(30, TimeUnit.SECONDS);
            double seconds = (firstAckAfter(at) - at) / 1e9;
            failovers.add(seconds);
            killed.add(names.get(leader));
            System.err.printf("[ha] kill %d of %s: first write acknowledged %.2f s later%n", kill, names.get(leader), seconds);
            restart(leader);
            awaitWhole();
        }
        stopping = true;
        for (Future<?> writer : running) {
            writer.get(2, TimeUnit.MINUTES);
        }
        writers.shutdown();
        URI reader = urls.get(leader()); // followers relay reads to the leader: one read of each key tells
        long lost = lost(reader);
        List<Double> sorted = new ArrayList<>(failovers);
        Collections.sort(sorted);
        System.out.printf("kills=%d killed=%s failover_s=%s failover_median_s=%.2f failover_max_s=%.2f writes_acknowledged=%d "
                        + "writes_lost=%d writes_failed=%d sent_again=%d%n", kills, killed, format(failovers),
                sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), acknowledged.size(), lost, failures.get(), retries.get());
    }

    private static String format(List<Double> seconds) {
        return seconds.stream().map(s -> String.format("%.2f", s)).toList().toString().replace(" ", "");
    }

    /** Unique keys of 1 KiB, sent to the next master on a refused connection, a timeout or a 503. */
    private void write(int writer) {
        int master = writer % urls.size();
        for (long n = 0; !stopping; n++) {
            String key = "ha/" + writer + "/" + n;
            byte[] value = value(key);
            long sent = System.nanoTime();
            long deadline = sent + PATIENCE.toNanos();
            while (true) {
                int status;
                try {
                    HttpResponse<Void> answer = HTTP.send(HttpRequest.newBuilder(urls.get(master).resolve("/set/" + key))
                            .timeout(Duration.ofSeconds(5)).PUT(HttpRequest.BodyPublishers.ofByteArray(value)).build(),
                            HttpResponse.BodyHandlers.discarding());
                    status = answer.statusCode();
                } catch (IOException e) {
                    status = 0;
                } catch (InterruptedException e) {
                    return;
                }
                if (status == 201 || status == 204) {
                    acknowledged.put(key, value);
                    acks.add(new long[] {sent, System.nanoTime()});
                    break;
                }
                if (System.nanoTime() > deadline) {
                    failures.incrementAndGet();
                    break;
                }
                retries.incrementAndGet();
                master = (master + 1) % urls.size();
                sleep(50);
            }
        }
    }

    private static byte[] value(String key) {
        byte[] seed = (key + ":").getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[1024];
        for (int i = 0; i < value.length; i++) {
            value[i] = seed[i % seed.length];
        }
        return value;
    }

    private long firstAckAfter(long at) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            long first = acks.stream().filter(ack -> ack[0] > at).mapToLong(ack -> ack[1]).min().orElse(-1);
            if (first > 0) {
                return first;
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("no write was acknowledged within " + PATIENCE + " of a kill");
    }

    /** The acknowledged writes that do not read back byte for byte from {@code master}. */
    private long lost(URI master) throws Exception {
        ExecutorService readers = Executors.newFixedThreadPool(16);
        AtomicLong lost = new AtomicLong();
        List<Future<?>> reads = new ArrayList<>();
        for (Map.Entry<String, byte[]> write : acknowledged.entrySet()) {
            reads.add(readers.submit(() -> {
                try {
                    HttpResponse<byte[]> answer = HTTP.send(HttpRequest.newBuilder(master.resolve("/get/" + write.getKey()))
                            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
                    if (answer.statusCode() != 200 || !Arrays.equals(answer.body(), write.getValue())) {
                        lost.incrementAndGet();
                        System.err.println("[ha] " + master + ": " + write.getKey() + " answered " + answer.statusCode());
                    }
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (Future<?> read : reads) {
            read.get();
        }
        readers.shutdown();
        return lost.get();
    }

    /** The leader, as the first member that answers says. */
    private int leader() throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            for (URI url : urls) {
                try {
                    String group = HTTP.send(HttpRequest.newBuilder(url.resolve("/admin/group")).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                    Matcher leader = Pattern.compile("\"leader\":\"([^\"]+)\"").matcher(group);
                    if (leader.find() && names.contains(leader.group(1))) {
                        return names.indexOf(leader.group(1));
                    }
                } catch (IOException e) {
                    // that one is down
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no leader within " + PATIENCE);
    }

    /** Waits until every member answers and none is behind the leader's log. */
    private void awaitWhole() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                String group = HTTP.send(HttpRequest.newBuilder(urls.get(leader()).resolve("/admin/group"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
                int members = count(group, "\"url\":"); // the group's own name is a "name" too
                if (members == names.size() && count(group, "\"answers\":true") == members && count(group, "\"lag\":0") == members
                        && count(group, "\"joined\":true") == members) {
                    return;
                }
            } catch (IOException e) {
                // asked again below
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the group is not whole after 3 minutes");
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    private ProcessHandle process(String name) {
        String config = "-Dtdkvs.config=" + dir.resolve(name + ".yaml");
        return ProcessHandle.allProcesses().filter(process -> process.info().commandLine().orElse("").contains(config))
                .findFirst().orElseThrow(() -> new IllegalStateException("no process runs " + config));
    }

    private void restart(int index) throws IOException {
        Path tdkvs = Path.of(System.getProperty("tdkvs.home", ".")).resolve("tdkvs");
        Path log = dir.resolve(names.get(index) + ".log");
        Files.writeString(log, "---- restarted by HaProbe\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        new ProcessBuilder(tdkvs.toString(), "master", "-config=" + dir.resolve(names.get(index) + ".yaml"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
