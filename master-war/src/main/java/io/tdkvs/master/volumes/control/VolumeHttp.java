package io.tdkvs.master.volumes.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tdkvs.config.Deadlines;
import io.tdkvs.config.MasterConfig;
import io.tdkvs.config.VolumeUrl;
import io.tdkvs.master.errors.Reason;
import io.tdkvs.master.errors.StoreException;
import io.tdkvs.protocol.ClusterSignature;
import io.tdkvs.protocol.ProtocolException;

/**
 * The HTTP plumbing of the master's calls to volumes, over the JDK's blocking client
 * ({@link HttpURLConnection}), whose connections are kept alive and reused (up to
 * {@code http.maxConnections} per volume). Every call has a connect and a read deadline; a write
 * also has a {@link Watch}, which cuts the connection when the volume takes in no bytes, or does not
 * answer, for longer than its deadline (a socket has no write timeout). What went wrong becomes a
 * {@link StoreException}: a volume that cannot be reached or does not answer in time is
 * {@link Reason#VOLUME_UNAVAILABLE}, a 5xx {@link Reason#VOLUME_ERROR}, a full disk
 * {@link Reason#VOLUME_FULL}, another wrong answer {@link Reason#VOLUME_FAILED}.
 */
@Singleton
public class VolumeHttp {

    /** The unit values travel in to and from volumes; a value of at most one is read whole on its way (small). */
    public static final int CHUNK = 64 * 1024;
    private static final long TICK_MILLIS = 50;

    @Inject
    MasterConfig config;

    private Deadlines deadlines = Deadlines.defaults();
    private Optional<ClusterSignature> signature = Optional.empty();
    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "tdkvs-volume-deadlines");
        thread.setDaemon(true);
        return thread;
    });

    @PostConstruct
    void start() {
        deadlines = config.deadlines();
        signature = config.secret().map(ClusterSignature::new);
        ticker.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        ticker.shutdownNow();
    }

    public Deadlines deadlines() {
        return deadlines;
    }

    private void tick() {
        long now = System.nanoTime();
        for (Watch watch : watches) {
            watch.check(now);
        }
    }

    /** Starts watching a connection: while armed, it is cut if it stays so longer than {@code limit}. */
    Watch watch(HttpURLConnection connection, Duration limit) {
        Watch watch = new Watch(connection, limit);
        watches.add(watch);
        return watch;
    }

    /**
     * A deadline on a connection's blocking steps (sending a chunk, awaiting the answer): armed before
     * each, disarmed after; a step that outlasts it disconnects the connection, so the step fails.
     * {@link HttpURLConnection#disconnect} is not safe to run in two threads at once (one of them can fail
     * with a NullPointerException), so the thread that uses a watched connection cuts it with
     * {@link #cut}, and once {@link #disarm} returns the watch is not cutting it.
     */
    final class Watch implements AutoCloseable {

        private final HttpURLConnection connection;
        private final long limitNanos;
        private volatile long armedAt = -1;
        private volatile boolean fired;

        private Watch(HttpURLConnection connection, Duration limit) {
            this.connection = connection;
            this.limitNanos = limit.toNanos();
        }

        void arm() {
            armedAt = System.nanoTime();
        }

        synchronized void disarm() {
            armedAt = -1;
        }

        /** Disconnects the connection, never while the watch does. */
        synchronized void cut() {
            connection.disconnect();
        }

        private synchronized void check(long now) {
            long since = armedAt;
            if (since >= 0 && now - since > limitNanos && !fired) {
                fired = true;
                connection.disconnect();
            }
        }

        /** Whether the deadline cut the connection. */
        boolean fired() {
            return fired;
        }

        Duration limit() {
            return Duration.ofNanos(limitNanos);
        }

        @Override
        public void close() {
            watches.remove(this);
        }
    }

    /**
     * A request to a volume, with the connect deadline and this read deadline, signed with the
     * cluster's secret if it has one.
     */
    HttpURLConnection open(VolumeUrl volume, String path, String method, Duration read) {
        try {
            HttpURLConnection connection = (HttpURLConnection) new URL(volume.value() + "/" + path).openConnection(Proxy.NO_PROXY);
            connection.setRequestMethod(method);
            if (signature.isPresent()) {
                connection.setRequestProperty(ClusterSignature.HEADER, signature.get().sign(method, "/" + path));
            }
            connection.setConnectTimeout((int) Math.min(deadlines.connect().toMillis(), read.toMillis()));
            connection.setReadTimeout((int) read.toMillis());
            connection.setUseCaches(false);
            connection.setInstanceFollowRedirects(false);
            return connection;
        } catch (IOException e) {
            throw unavailable(volume, e);
        }
    }

    /** A request that streams a body of {@code length} bytes, or chunked if the length is not known. */
    HttpURLConnection upload(VolumeUrl volume, String path, String method, OptionalLong length, Duration read) {
        HttpURLConnection upload = open(volume, path, method, read);
        upload.setDoOutput(true);
        if (length.isPresent()) {
            upload.setFixedLengthStreamingMode(length.getAsLong());
        } else {
            upload.setChunkedStreamingMode(CHUNK);
        }
        upload.setRequestProperty("Content-Type", "application/octet-stream");
        return upload;
    }

    /** The status of the answer: sends the request if it has not gone yet. */
    static int status(VolumeUrl volume, HttpURLConnection connection) {
        try {
            return connection.getResponseCode();
        } catch (IOException e) {
            connection.disconnect();
            throw unavailable(volume, e);
        }
    }

    /** The body of a successful answer, as text. */
    static String read(VolumeUrl volume, HttpURLConnection connection) {
        try {
            return text(connection.getInputStream());
        } catch (IOException e) {
            throw unavailable(volume, e);
        }
    }

    /** The first kilobyte of an error answer, for the message; the connection can then be reused. */
    static String errorText(HttpURLConnection connection) {
        try (InputStream error = connection.getErrorStream()) {
            return error == null ? "" : new String(error.readNBytes(1024), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    static String text(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Reads what is left of an answer, so that its connection can serve the next request. */
    static void drain(HttpURLConnection connection) {
        try (InputStream in = connection.getResponseCode() < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            if (in != null) {
                in.transferTo(OutputStream.nullOutputStream());
            }
        } catch (IOException e) {
            connection.disconnect();
        }
    }

    static StoreException unavailable(VolumeUrl volume, Exception e) {
        String cause = e instanceof SocketTimeoutException ? "it did not answer in time: " + e.getMessage()
                : e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        return new StoreException(Reason.VOLUME_UNAVAILABLE, "volume " + volume + " is unavailable (" + cause + ")", e);
    }

    /** A volume whose {@link Watch} cut the connection. */
    static StoreException tooSlow(VolumeUrl volume, Watch watch, String what) {
        return new StoreException(Reason.VOLUME_UNAVAILABLE, "volume " + volume + " is unavailable (it did not answer "
                + what + " within " + watch.limit().toMillis() + " ms)");
    }

    static StoreException malformed(VolumeUrl volume, ProtocolException e) {
        return new StoreException(Reason.VOLUME_FAILED, "volume " + volume + " answered outside the protocol: " + e.getMessage(), e);
    }

    static StoreException failed(VolumeUrl volume, String what, int status, String body) {
        String detail = body == null ? "" : body.strip();
        if (status == 503 || detail.startsWith("<")) {
            // A volume answers its errors in one line of text; an HTML page comes from a server that is
            // still starting (or stopping) and has not deployed the volume yet.
            return new StoreException(Reason.VOLUME_UNAVAILABLE, "volume " + volume + " is not ready (it answered "
                    + status + " " + what + ")");
        }
        if (status == 507) {
            return new StoreException(Reason.VOLUME_FULL, "volume " + volume + " is full: " + detail);
        }
        return new StoreException(status >= 500 ? Reason.VOLUME_ERROR : Reason.VOLUME_FAILED, "volume " + volume + " failed "
                + what + ": " + status + (detail.isEmpty() ? "" : " " + detail));
    }
}
