package io.tdkvs.master.volumes.control;

import static io.tdkvs.master.volumes.control.VolumeHttp.drain;
import static io.tdkvs.master.volumes.control.VolumeHttp.errorText;
import static io.tdkvs.master.volumes.control.VolumeHttp.failed;
import static io.tdkvs.master.volumes.control.VolumeHttp.malformed;
import static io.tdkvs.master.volumes.control.VolumeHttp.unavailable;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tdkvs.config.Deadlines;
import io.tdkvs.config.VolumeUrl;
import io.tdkvs.master.errors.Reason;
import io.tdkvs.master.errors.StoreException;
import io.tdkvs.master.keys.entity.Key;
import io.tdkvs.protocol.BlobInfo;
import io.tdkvs.protocol.BlobName;
import io.tdkvs.protocol.Imported;
import io.tdkvs.protocol.ProtocolException;
import io.tdkvs.protocol.VolumeApi;

/**
 * The copies of a client's value on their way to volumes. The value is streamed once to the volumes
 * that should keep it, each storing and syncing its copy as the bytes arrive; each must have stored
 * exactly the bytes sent. Values of at most one chunk (64 KiB) are read whole and go with the other
 * small copies waiting for the same volume, many to a request ({@link WriteBatches}).
 * <p>
 * A volume gets {@link Deadlines#perCopy three quarters} of the write deadline to take in each chunk
 * and to answer. When copies may go elsewhere (a cluster that keeps two or more), a volume that is
 * known not to answer is passed over, and each copy that a volume failed to store goes to the next
 * volume of the key's ranking instead (copied from a volume that stored the value, for large ones),
 * until as many are stored as wanted or no volume is left. A volume that does not answer is reported to
 * the {@link VolumeMonitor}, so the next writes pass it over at once.
 */
@Singleton
public class WriteFanOut {

    private static final int CHUNK = VolumeHttp.CHUNK;
    /** What a substitute copy leaves of the write deadline for the next one, should it fail too. */
    private static final Duration RESERVE = Duration.ofMillis(500);
    private static final Duration MIN_SUBSTITUTE = Duration.ofMillis(250);

    @Inject
    VolumeHttp http;

    @Inject
    VolumeClient client;

    @Inject
    VolumeMonitor monitor;

    private final WriteBatches batches = new WriteBatches(this::storeBatch);

    /**
     * Stores {@code copies} copies of a value, on the first volumes of {@code ranking}, or if
     * {@code substitute}, on the first that answer. Answers what became of each copy sent, in the order
     * they were sent: the stored ones name where they are.
     *
     * @param ranking the volumes in the order the key prefers them: its placement first
     * @param length  the announced length of the value, if known
     * @throws StoreException if the client's body broke off or ended short: no volume keeps a copy
     */
    public List<StoredCopy> put(List<VolumeUrl> ranking, int copies, boolean substitute, BlobName name, Key key,
                                InputStream value, OptionalLong length) {
        long started = System.nanoTime();
        List<VolumeUrl> first = substitute ? firstAnswering(ranking, copies) : ranking.subList(0, copies);
        CountingInput counted = new CountingInput(value);
        List<StoredCopy> results = new ArrayList<>();
        Optional<SmallCopy> small = Optional.empty();
        if (length.isPresent() && length.getAsLong() <= CHUNK) {
            small = Optional.of(readSmall(name, key, counted, (int) length.getAsLong()));
            results.addAll(putSmall(first, small.get()));
        } else {
            results.addAll(stream(first, name, key, counted, length));
        }
        results.stream().filter(copy -> copy.failure().filter(e -> e.reason() == Reason.VOLUME_UNAVAILABLE).isPresent())
                .forEach(copy -> monitor.markDown(copy.volume(), copy.failure().orElseThrow().getMessage()));
        if (substitute) {
            substitute(ranking, copies, name, small, results, started);
        }
        return results;
    }

    /** The first {@code copies} volumes of the ranking that are not known to be down; others if too few are left. */
    private List<VolumeUrl> firstAnswering(List<VolumeUrl> ranking, int copies) {
        List<VolumeUrl> chosen = new ArrayList<>(ranking.stream().filter(monitor::answering).limit(copies).toList());
        ranking.stream().filter(volume -> !chosen.contains(volume)).limit(copies - chosen.size()).forEach(chosen::add);
        return chosen;
    }

    /**
     * Each copy that failed goes to the next volume of the ranking that was not tried, those that answer
     * first; each gets what is left of the write deadline, less a reserve for the one after it.
     */
    private void substitute(List<VolumeUrl> ranking, int copies, BlobName name, Optional<SmallCopy> small, List<StoredCopy> results,
                            long started) {
        Set<VolumeUrl> tried = new HashSet<>(results.stream().map(StoredCopy::volume).toList());
        while (results.stream().filter(copy -> copy.stored().isPresent()).count() < copies) {
            Optional<VolumeUrl> next = ranking.stream().filter(volume -> !tried.contains(volume)).filter(monitor::answering).findFirst()
                    .or(() -> ranking.stream().filter(volume -> !tried.contains(volume)).findFirst());
            Optional<StoredCopy> source = results.stream().filter(copy -> copy.stored().isPresent()).findFirst();
            if (next.isEmpty() || (small.isEmpty() && source.isEmpty())) {
                return;
            }
            tried.add(next.get());
            Duration left = http.deadlines().write().minusNanos(System.nanoTime() - started).minus(RESERVE);
            Duration deadline = left.compareTo(MIN_SUBSTITUTE) < 0 ? MIN_SUBSTITUTE : left;
            StoredCopy copy = small.isPresent() ? storeOne(next.get(), small.get(), deadline)
                    : copyFrom(source.get(), next.get(), name, deadline);
            copy.failure().filter(e -> e.reason() == Reason.VOLUME_UNAVAILABLE)
                    .ifPresent(e -> monitor.markDown(copy.volume(), e.getMessage()));
            results.add(copy);
        }
    }

    private StoredCopy storeOne(VolumeUrl volume, SmallCopy copy, Duration deadline) {
        try {
            return client.storeAll(volume, List.of(copy), deadline).get(0);
        } catch (StoreException e) {
            return StoredCopy.failed(volume, e);
        }
    }

    /** A large value's copy made from a volume that stored it, checked against what that one stored. */
    private StoredCopy copyFrom(StoredCopy source, VolumeUrl target, BlobName name, Duration deadline) {
        BlobInfo stored = source.stored().orElseThrow();
        try {
            Optional<Imported> copy = client.copy(source.volume(), target, name, deadline);
            if (copy.isEmpty() || copy.get().size() != stored.size() || copy.get().crc32c() != stored.crc32c()) {
                return StoredCopy.failed(target, new StoreException(Reason.VOLUME_FAILED, "volume " + target
                        + " did not store the copy of blob " + name + " sent by " + source.volume()));
            }
            return StoredCopy.stored(target, stored);
        } catch (StoreException e) {
            return StoredCopy.failed(target, e);
        }
    }

    /**
     * Sends a batch of small copies, unless the volume is known not to answer: then the copies fail at
     * once, and go elsewhere, instead of waiting behind a batch that waits for the deadline.
     */
    private List<StoredCopy> storeBatch(VolumeUrl volume, List<SmallCopy> copies) {
        if (!monitor.answering(volume)) {
            throw new StoreException(Reason.VOLUME_UNAVAILABLE, "volume " + volume + " does not answer (it was passed over)");
        }
        try {
            return client.storeAll(volume, copies, perCopy());
        } catch (StoreException e) {
            if (e.reason() == Reason.VOLUME_UNAVAILABLE) {
                monitor.markDown(volume, e.getMessage());
            }
            throw e;
        }
    }

    private Duration perCopy() {
        return Deadlines.perCopy(http.deadlines().write());
    }

    /**
     * Reads a small value whole, and then its body's end: a body that checks itself as it ends (an S3 body
     * against its signed SHA-256, Content-MD5 or checksums) fails there, before anything is stored.
     */
    private static SmallCopy readSmall(BlobName name, Key key, CountingInput counted, int length) {
        byte[] bytes;
        try {
            bytes = counted.readNBytes(length);
            if (bytes.length == length && counted.read() >= 0) {
                throw new StoreException(Reason.VALUE_BROKE_OFF, "the request body is longer than the " + length
                        + " bytes its Content-Length announced; nothing was written");
            }
        } catch (IOException e) {
            throw brokenBody(counted);
        }
        checkComplete(counted, OptionalLong.of(length));
        return new SmallCopy(name, key.utf8(), bytes, counted.crc32c());
    }

    /** A small value's copies go to their volumes with the other small copies that wait for them. */
    private List<StoredCopy> putSmall(List<VolumeUrl> targets, SmallCopy copy) {
        List<CompletableFuture<StoredCopy>> copies = targets.stream().map(volume -> batches.store(volume, copy)).toList();
        return copies.stream().map(CompletableFuture::join).toList();
    }

    /** Streams a value once to several volumes at a time; the volumes sync their copies at the same time. */
    private List<StoredCopy> stream(List<VolumeUrl> targets, BlobName name, Key key, CountingInput counted, OptionalLong length) {
        List<Upload> uploads = new ArrayList<>(targets.size());
        try {
            for (VolumeUrl volume : targets) {
                HttpURLConnection put = http.upload(volume, VolumeClient.blobPath(name), "PUT", length, perCopy());
                put.setRequestProperty(VolumeApi.KEY, VolumeApi.keyHeader(key.utf8()));
                uploads.add(new Upload(volume, put, http.watch(put, perCopy())));
            }
            byte[] chunk = new byte[CHUNK];
            try {
                for (int read; uploads.stream().anyMatch(Upload::sending) && (read = counted.read(chunk)) >= 0; ) {
                    for (Upload upload : uploads) {
                        upload.write(chunk, read);
                    }
                }
            } catch (IOException e) {
                // the client's body failed; counted remembers it
            }
            if (counted.failure() != null || counted.ended()) {
                try {
                    checkComplete(counted, length);
                } catch (StoreException e) {
                    uploads.forEach(Upload::abort);
                    throw e;
                }
            }
            // every body's last bytes go out before any answer is awaited, so the volumes sync at the same time
            uploads.forEach(Upload::endBody);
            return uploads.stream().map(upload -> upload.finish(name, key, counted)).toList();
        } finally {
            uploads.forEach(upload -> upload.watch.close());
        }
    }

    @PreDestroy
    void close() {
        batches.close();
    }

    /** One volume's copy of a value on its way. */
    private final class Upload {

        private final VolumeUrl volume;
        private final HttpURLConnection connection;
        private final VolumeHttp.Watch watch;
        private OutputStream out;
        private IOException failure;

        Upload(VolumeUrl volume, HttpURLConnection connection, VolumeHttp.Watch watch) {
            this.volume = volume;
            this.connection = connection;
            this.watch = watch;
        }

        boolean sending() {
            return failure == null;
        }

        void write(byte[] chunk, int length) {
            if (failure != null) {
                return;
            }
            watch.arm();
            try {
                if (out == null) {
                    out = connection.getOutputStream();
                }
                out.write(chunk, 0, length);
            } catch (IOException e) {
                failure = e;
                watch.cut();
            } finally {
                watch.disarm();
            }
        }

        void abort() {
            watch.cut();
        }

        /** Sends what is still buffered of the body, and ends it. */
        void endBody() {
            if (failure != null) {
                return;
            }
            watch.arm();
            try {
                (out == null ? connection.getOutputStream() : out).close();
            } catch (IOException e) {
                failure = e;
                watch.cut();
            } finally {
                watch.disarm();
            }
        }

        /** Reads the volume's answer to the {@link #endBody ended} body. */
        StoredCopy finish(BlobName name, Key key, CountingInput counted) {
            int status;
            String answer;
            watch.arm();
            try {
                if (failure != null) {
                    throw failure;
                }
                status = connection.getResponseCode();
                answer = status == 201 ? "" : errorText(connection);
            } catch (IOException e) {
                watch.cut();
                return StoredCopy.failed(volume, watch.fired() ? VolumeHttp.tooSlow(volume, watch, "storing " + name)
                        : unavailable(volume, e));
            } finally {
                watch.disarm();
            }
            try {
                if (status != 201) {
                    throw failed(volume, "storing " + name, status, answer);
                }
                long size = connection.getHeaderFieldLong(VolumeApi.SIZE, -1);
                int crc32c = crc32c(volume, connection.getHeaderField(VolumeApi.CRC32C));
                drain(connection);
                if (size != counted.count() || crc32c != counted.crc32c()) {
                    client.delete(volume, name);
                    throw new StoreException(Reason.VOLUME_FAILED, "volume " + volume + " stored " + size
                            + " bytes with another checksum than the " + counted.count() + " bytes sent; its copy was removed");
                }
                return StoredCopy.stored(volume, new BlobInfo(name, size, crc32c, key.utf8()));
            } catch (StoreException e) {
                return StoredCopy.failed(volume, e);
            }
        }
    }

    private static int crc32c(VolumeUrl volume, String header) {
        try {
            return VolumeApi.crc32cFromHeader(header);
        } catch (ProtocolException e) {
            throw malformed(volume, e);
        }
    }

    private static StoreException brokenBody(CountingInput counted) {
        return new StoreException(Reason.VALUE_BROKE_OFF, "the request body broke off after " + counted.count()
                + " bytes (" + counted.failure().getMessage() + "); nothing was written", counted.failure());
    }

    /** Was everything sent what the client announced? */
    private static void checkComplete(CountingInput counted, OptionalLong length) {
        if (counted.failure() != null) {
            throw brokenBody(counted);
        }
        if (length.isPresent() && counted.count() < length.getAsLong()) {
            throw new StoreException(Reason.VALUE_BROKE_OFF, "the request body ended after " + counted.count()
                    + " of the " + length.getAsLong() + " bytes its Content-Length announced; nothing was written");
        }
    }
}
