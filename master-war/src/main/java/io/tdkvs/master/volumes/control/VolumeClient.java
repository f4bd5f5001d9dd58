package io.tdkvs.master.volumes.control;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;

import io.tdkvs.config.VolumeUrl;
import io.tdkvs.master.errors.Reason;
import io.tdkvs.master.errors.StoreException;
import io.tdkvs.master.keys.entity.Key;
import io.tdkvs.protocol.BlobInfo;
import io.tdkvs.protocol.BlobName;
import io.tdkvs.protocol.ByteRange;
import io.tdkvs.protocol.Imported;
import io.tdkvs.protocol.NameList;
import io.tdkvs.protocol.ProtocolException;
import io.tdkvs.protocol.VolumeApi;
import io.tdkvs.protocol.VolumeStatus;

/**
 * The master's side of the volume API ({@link VolumeApi}). A volume that cannot be reached is
 * {@link Reason#VOLUME_UNAVAILABLE}; one that answers wrongly is {@link Reason#VOLUME_FAILED}.
 * Values are streamed both ways, never held in memory.
 */
@ApplicationScoped
public class VolumeClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(5);
    /** A PUT is answered only when the whole value is stored; allow for slow, large values. */
    private static final Duration UPLOAD_TIMEOUT = Duration.ofHours(1);

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .build();
    private final Jsonb json = JsonbBuilder.create();

    /**
     * Streams a value to a volume and checks that the volume stored exactly the bytes sent.
     *
     * @param length the announced length of the value, if known
     */
    public BlobInfo put(VolumeUrl volume, BlobName name, Key key, InputStream value, OptionalLong length) {
        CountingInput counted = new CountingInput(value);
        BodyPublisher body = length.isPresent() && length.getAsLong() == 0
                ? BodyPublishers.noBody()
                : length.isPresent()
                ? BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> counted), length.getAsLong())
                : BodyPublishers.ofInputStream(() -> counted);
        HttpRequest request = HttpRequest.newBuilder(blob(volume, name))
                .timeout(UPLOAD_TIMEOUT)
                .header(VolumeApi.KEY, VolumeApi.keyHeader(key.utf8()))
                .PUT(body)
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            if (counted.failure() != null) {
                throw brokenBody(counted);
            }
            throw unavailable(volume, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(volume, e);
        }
        checkComplete(counted, length);
        if (response.statusCode() != 201) {
            throw failed(volume, "storing " + name, response.statusCode(), response.body());
        }
        long size = response.headers().firstValueAsLong(VolumeApi.SIZE).orElse(-1);
        int crc32c = crc32c(volume, response.headers().firstValue(VolumeApi.CRC32C).orElse(null));
        if (size != counted.count() || crc32c != counted.crc32c()) {
            delete(volume, name);
            throw new StoreException(Reason.VOLUME_FAILED, "volume " + volume + " stored " + size
                    + " bytes with another checksum than the " + counted.count() + " bytes sent; nothing was written");
        }
        return new BlobInfo(name, size, crc32c, key.utf8());
    }

    private static StoreException brokenBody(CountingInput counted) {
        return new StoreException(Reason.VALUE_BROKE_OFF, "the request body broke off after " + counted.count()
                + " bytes (" + counted.failure().getMessage() + "); nothing was written", counted.failure());
    }

    /** The volume answered; was everything it stored what the client announced? */
    private static void checkComplete(CountingInput counted, OptionalLong length) {
        if (counted.failure() != null) {
            throw brokenBody(counted);
        }
        if (length.isPresent() && counted.count() < length.getAsLong()) {
            throw new StoreException(Reason.VALUE_BROKE_OFF, "the request body ended after " + counted.count()
                    + " of the " + length.getAsLong() + " bytes its Content-Length announced; nothing was written");
        }
    }

    /**
     * Opens a value, or a range of it, for reading; empty if the volume does not hold that blob.
     * The range must lie within the value.
     */
    public Optional<BlobStream> get(VolumeUrl volume, BlobName name, Optional<ByteRange> range) {
        HttpRequest.Builder request = HttpRequest.newBuilder(blob(volume, name)).timeout(ANSWER_TIMEOUT).GET();
        range.ifPresent(part -> request.header("Range", part.header()));
        HttpResponse<InputStream> response = send(volume, request, BodyHandlers.ofInputStream());
        if (response.statusCode() == 404) {
            closeQuietly(response.body());
            return Optional.empty();
        }
        if (response.statusCode() != (range.isPresent() ? 206 : 200)) {
            throw failed(volume, "reading " + name, response.statusCode(), readQuietly(response.body()));
        }
        long size = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        return Optional.of(new BlobStream(response.body(), size));
    }

    /** The size of a stored value; empty if the volume does not hold that blob. */
    public OptionalLong size(VolumeUrl volume, BlobName name) {
        HttpResponse<Void> response = send(volume, HttpRequest.newBuilder(blob(volume, name)).timeout(ANSWER_TIMEOUT)
                .method("HEAD", BodyPublishers.noBody()), BodyHandlers.discarding());
        if (response.statusCode() == 404) {
            return OptionalLong.empty();
        }
        if (response.statusCode() != 200) {
            throw failed(volume, "looking up " + name, response.statusCode(), "");
        }
        return OptionalLong.of(response.headers().firstValueAsLong("Content-Length").orElse(-1));
    }

    /** Removes a blob; false if the volume did not hold it. */
    public boolean delete(VolumeUrl volume, BlobName name) {
        HttpResponse<String> response = send(volume, HttpRequest.newBuilder(blob(volume, name)).timeout(ANSWER_TIMEOUT)
                .DELETE(), BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() == 404) {
            return false;
        }
        if (response.statusCode() != 204) {
            throw failed(volume, "deleting " + name, response.statusCode(), response.body());
        }
        return true;
    }

    /** Opens the named blobs of a volume as one stream of frames, to be handed to {@link #importFrames}. The caller closes it. */
    public InputStream export(VolumeUrl volume, List<BlobName> names) {
        HttpResponse<InputStream> response = send(volume, postNames(volume, VolumeApi.EXPORT, names),
                BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw failed(volume, "sending " + names.size() + " blobs", response.statusCode(), readQuietly(response.body()));
        }
        return response.body();
    }

    /**
     * Streams frames from {@link #export} to a volume, which stores every blob in them durably
     * before it answers. If the frames break off, the {@link StoreException} names the volume that sent them.
     */
    public List<Imported> importFrames(VolumeUrl volume, VolumeUrl sender, InputStream frames) {
        CountingInput counted = new CountingInput(frames);
        HttpRequest request = HttpRequest.newBuilder(volume.resolve(VolumeApi.BLOBS + "/" + VolumeApi.IMPORT))
                .timeout(UPLOAD_TIMEOUT)
                .header("Content-Type", "application/octet-stream")
                .POST(BodyPublishers.ofInputStream(() -> counted))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, BodyHandlers.ofString(StandardCharsets.US_ASCII));
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw unavailable(counted.failure() != null ? sender : volume, counted.failure() != null ? counted.failure() : e);
        }
        if (counted.failure() != null) {
            throw unavailable(sender, counted.failure());
        }
        if (response.statusCode() != 200) {
            throw failed(volume, "storing blobs sent by " + sender, response.statusCode(), response.body());
        }
        try {
            return response.body().lines().map(Imported::parse).toList();
        } catch (ProtocolException e) {
            throw malformed(volume, e);
        }
    }

    /** Removes many blobs with one request; answers how many the volume had. */
    public int deleteAll(VolumeUrl volume, List<BlobName> names) {
        if (names.isEmpty()) {
            return 0;
        }
        HttpResponse<String> response = send(volume, postNames(volume, VolumeApi.DELETE, names),
                BodyHandlers.ofString(StandardCharsets.US_ASCII));
        if (response.statusCode() != 200) {
            throw failed(volume, "deleting " + names.size() + " blobs", response.statusCode(), response.body());
        }
        try {
            return NameList.parseDeleted(response.body());
        } catch (ProtocolException e) {
            throw malformed(volume, e);
        }
    }

    /** Every blob a volume holds, streamed a line at a time to {@code each}. */
    public void list(VolumeUrl volume, Consumer<BlobInfo> each) {
        HttpResponse<InputStream> response = send(volume, HttpRequest.newBuilder(volume.resolve(VolumeApi.BLOBS))
                .timeout(ANSWER_TIMEOUT).GET(), BodyHandlers.ofInputStream());
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.US_ASCII))) {
            if (response.statusCode() != 200) {
                throw failed(volume, "listing its blobs", response.statusCode(), lines.readLine());
            }
            for (String line; (line = lines.readLine()) != null; ) {
                each.accept(BlobInfo.parse(line));
            }
        } catch (IOException e) {
            throw unavailable(volume, e);
        } catch (ProtocolException e) {
            throw malformed(volume, e);
        }
    }

    /** What a volume says of itself; {@link Reason#VOLUME_UNAVAILABLE} unless it answers. */
    public VolumeStatus status(VolumeUrl volume) {
        HttpResponse<String> response = send(volume, HttpRequest.newBuilder(volume.resolve(VolumeApi.STATUS))
                .timeout(STATUS_TIMEOUT).GET(), BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
            throw new StoreException(Reason.VOLUME_UNAVAILABLE, "volume " + volume + " is not ready (it answered "
                    + response.statusCode() + " to GET /" + VolumeApi.STATUS + ")");
        }
        try {
            return json.fromJson(response.body(), VolumeStatus.class);
        } catch (JsonbException e) {
            throw malformed(volume, new ProtocolException("its status is not JSON: " + e.getMessage()));
        }
    }

    /** Throws {@link Reason#VOLUME_UNAVAILABLE} unless the volume answers. */
    public void ping(VolumeUrl volume) {
        status(volume);
    }

    private <T> HttpResponse<T> send(VolumeUrl volume, HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request.build(), handler);
        } catch (IOException e) {
            throw unavailable(volume, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(volume, e);
        }
    }

    /** A POST of blob names to a batch endpoint of a volume. */
    private static HttpRequest.Builder postNames(VolumeUrl volume, String endpoint, List<BlobName> names) {
        return HttpRequest.newBuilder(volume.resolve(VolumeApi.BLOBS + "/" + endpoint)).timeout(ANSWER_TIMEOUT)
                .header("Content-Type", "text/plain")
                .POST(BodyPublishers.ofString(NameList.format(names), StandardCharsets.US_ASCII));
    }

    private static URI blob(VolumeUrl volume, BlobName name) {
        return volume.resolve(VolumeApi.BLOBS + "/" + name);
    }

    private static int crc32c(VolumeUrl volume, String header) {
        try {
            return VolumeApi.crc32cFromHeader(header);
        } catch (ProtocolException e) {
            throw malformed(volume, e);
        }
    }

    private static StoreException unavailable(VolumeUrl volume, Exception e) {
        String cause = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        return new StoreException(Reason.VOLUME_UNAVAILABLE, "volume " + volume + " is unavailable (" + cause + ")", e);
    }

    private static StoreException malformed(VolumeUrl volume, ProtocolException e) {
        return new StoreException(Reason.VOLUME_FAILED, "volume " + volume + " answered outside the protocol: " + e.getMessage(), e);
    }

    private static StoreException failed(VolumeUrl volume, String what, int status, String body) {
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
        return new StoreException(Reason.VOLUME_FAILED, "volume " + volume + " failed " + what + ": "
                + status + (detail.isEmpty() ? "" : " " + detail));
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // the connection is dropped either way
        }
    }

    private static String readQuietly(InputStream in) {
        try (in) {
            return new String(in.readNBytes(1024), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
