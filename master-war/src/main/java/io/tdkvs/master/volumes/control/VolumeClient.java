package io.tdkvs.master.volumes.control;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import java.util.Optional;
import java.util.OptionalLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.tdkvs.config.VolumeUrl;
import io.tdkvs.master.errors.Reason;
import io.tdkvs.master.errors.StoreException;
import io.tdkvs.master.keys.entity.Key;

/**
 * HTTP to the volumes ({@code /blobs/<name>}, {@code /status}). A volume that cannot be reached
 * is {@link Reason#VOLUME_UNAVAILABLE}; one that answers wrongly is {@link Reason#VOLUME_FAILED}.
 * Values are streamed both ways, never held in memory.
 */
@ApplicationScoped
public class VolumeClient {

    static final String KEY_HEADER = "Tdkvs-Key";
    static final String SIZE_HEADER = "Tdkvs-Size";
    static final String CRC_HEADER = "Tdkvs-Crc32c";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
    /** A PUT is answered only when the whole value is stored; allow for slow, large values. */
    private static final Duration UPLOAD_TIMEOUT = Duration.ofHours(1);

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .build();

    /**
     * Streams a value to a volume and checks that the volume stored exactly the bytes sent.
     *
     * @param length the announced length of the value, if known
     */
    public StoredBlob put(VolumeUrl volume, String blobName, Key key, InputStream value, OptionalLong length) {
        CountingInput counted = new CountingInput(value);
        BodyPublisher body = length.isPresent() && length.getAsLong() == 0
                ? BodyPublishers.noBody()
                : length.isPresent()
                ? BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> counted), length.getAsLong())
                : BodyPublishers.ofInputStream(() -> counted);
        HttpRequest request = HttpRequest.newBuilder(blob(volume, blobName))
                .timeout(UPLOAD_TIMEOUT)
                .header(KEY_HEADER, Base64.getUrlEncoder().withoutPadding().encodeToString(key.utf8()))
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
            throw failed(volume, "storing " + blobName, response.statusCode(), response.body());
        }
        StoredBlob stored = new StoredBlob(
                response.headers().firstValueAsLong(SIZE_HEADER).orElse(-1),
                (int) Long.parseLong(response.headers().firstValue(CRC_HEADER).orElse("0"), 16));
        if (stored.size() != counted.count() || stored.crc32c() != counted.crc32c()) {
            delete(volume, blobName);
            throw new StoreException(Reason.VOLUME_FAILED, "volume " + volume + " stored " + stored.size()
                    + " bytes with another checksum than the " + counted.count() + " bytes sent; nothing was written");
        }
        return stored;
    }

    private static StoreException brokenBody(CountingInput counted) {
        return new StoreException(Reason.INCOMPLETE_BODY, "the request body broke off after " + counted.count()
                + " bytes (" + counted.failure().getMessage() + "); nothing was written", counted.failure());
    }

    /** The volume answered; was everything it stored what the client announced? */
    private static void checkComplete(CountingInput counted, OptionalLong length) {
        if (counted.failure() != null) {
            throw brokenBody(counted);
        }
        if (length.isPresent() && counted.count() < length.getAsLong()) {
            throw new StoreException(Reason.INCOMPLETE_BODY, "the request body ended after " + counted.count()
                    + " of the " + length.getAsLong() + " bytes its Content-Length announced; nothing was written");
        }
    }

    /** Opens a value for reading; empty if the volume does not hold that blob. */
    public Optional<BlobStream> get(VolumeUrl volume, String blobName) {
        HttpResponse<InputStream> response = send(volume, "reading " + blobName,
                HttpRequest.newBuilder(blob(volume, blobName)).timeout(ANSWER_TIMEOUT).GET(),
                BodyHandlers.ofInputStream());
        if (response.statusCode() == 404) {
            closeQuietly(response.body());
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            String message = readQuietly(response.body());
            throw failed(volume, "reading " + blobName, response.statusCode(), message);
        }
        long size = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        return Optional.of(new BlobStream(response.body(), size));
    }

    /** The size of a stored value; empty if the volume does not hold that blob. */
    public OptionalLong size(VolumeUrl volume, String blobName) {
        HttpResponse<Void> response = send(volume, "looking up " + blobName,
                HttpRequest.newBuilder(blob(volume, blobName)).timeout(ANSWER_TIMEOUT)
                        .method("HEAD", BodyPublishers.noBody()),
                BodyHandlers.discarding());
        if (response.statusCode() == 404) {
            return OptionalLong.empty();
        }
        if (response.statusCode() != 200) {
            throw failed(volume, "looking up " + blobName, response.statusCode(), "");
        }
        return OptionalLong.of(response.headers().firstValueAsLong("Content-Length").orElse(-1));
    }

    /** Removes a blob; false if the volume did not hold it. */
    public boolean delete(VolumeUrl volume, String blobName) {
        HttpResponse<String> response = send(volume, "deleting " + blobName,
                HttpRequest.newBuilder(blob(volume, blobName)).timeout(ANSWER_TIMEOUT).DELETE(),
                BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() == 404) {
            return false;
        }
        if (response.statusCode() != 204) {
            throw failed(volume, "deleting " + blobName, response.statusCode(), response.body());
        }
        return true;
    }

    /**
     * Opens the named blobs of a volume as one stream of frames ({@code POST /blobs/export}), to be
     * handed to {@link #importFrames}. The caller closes it.
     */
    public InputStream export(VolumeUrl volume, List<String> blobNames) {
        HttpResponse<InputStream> response = send(volume, "sending " + blobNames.size() + " blobs",
                postNames(volume, "blobs/export", blobNames), BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw failed(volume, "sending " + blobNames.size() + " blobs", response.statusCode(), readQuietly(response.body()));
        }
        return response.body();
    }

    /**
     * Streams frames from {@link #export} to a volume, which stores every blob in them durably
     * before it answers ({@code POST /blobs/import}). If the frames break off, the
     * {@link StoreException} names the volume that sent them.
     */
    public List<Imported> importFrames(VolumeUrl volume, VolumeUrl sender, InputStream frames) {
        CountingInput counted = new CountingInput(frames);
        HttpRequest request = HttpRequest.newBuilder(volume.resolve("blobs/import"))
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
        return response.body().lines().map(Imported::parse).toList();
    }

    /** Removes many blobs with one request; answers how many the volume had. */
    public int deleteAll(VolumeUrl volume, List<String> blobNames) {
        if (blobNames.isEmpty()) {
            return 0;
        }
        HttpResponse<String> response = send(volume, "deleting " + blobNames.size() + " blobs",
                postNames(volume, "blobs/delete", blobNames), BodyHandlers.ofString(StandardCharsets.US_ASCII));
        if (response.statusCode() != 200) {
            throw failed(volume, "deleting " + blobNames.size() + " blobs", response.statusCode(), response.body());
        }
        return Integer.parseInt(response.body().strip());
    }

    /** Every blob a volume holds ({@code GET /blobs}), streamed a line at a time to {@code each}. */
    public void list(VolumeUrl volume, Consumer<Listed> each) {
        HttpResponse<InputStream> response = send(volume, "listing its blobs",
                HttpRequest.newBuilder(volume.resolve("blobs")).timeout(ANSWER_TIMEOUT).GET(),
                BodyHandlers.ofInputStream());
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.US_ASCII))) {
            if (response.statusCode() != 200) {
                throw failed(volume, "listing its blobs", response.statusCode(), lines.readLine());
            }
            for (String line; (line = lines.readLine()) != null; ) {
                each.accept(Listed.parse(line));
            }
        } catch (IOException e) {
            throw unavailable(volume, e);
        }
    }

    /** Throws {@link Reason#VOLUME_UNAVAILABLE} unless the volume answers. */
    public void ping(VolumeUrl volume) {
        HttpResponse<String> response = send(volume, "asking for its status",
                HttpRequest.newBuilder(volume.resolve("status")).timeout(Duration.ofSeconds(5)).GET(),
                BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
            throw new StoreException(Reason.VOLUME_UNAVAILABLE, "volume " + volume + " is not ready (it answered "
                    + response.statusCode() + " to GET /status)");
        }
    }

    private <T> HttpResponse<T> send(VolumeUrl volume, String what, HttpRequest.Builder request,
                                     HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request.build(), handler);
        } catch (IOException e) {
            throw unavailable(volume, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(volume, e);
        }
    }

    /** A POST of blob names, a line each, to a batch endpoint of a volume. */
    private static HttpRequest.Builder postNames(VolumeUrl volume, String path, List<String> blobNames) {
        return HttpRequest.newBuilder(volume.resolve(path)).timeout(ANSWER_TIMEOUT)
                .header("Content-Type", "text/plain")
                .POST(BodyPublishers.ofString(String.join("\n", blobNames), StandardCharsets.US_ASCII));
    }

    private static URI blob(VolumeUrl volume, String blobName) {
        return volume.resolve("blobs/" + blobName);
    }

    private static StoreException unavailable(VolumeUrl volume, Exception e) {
        String cause = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        return new StoreException(Reason.VOLUME_UNAVAILABLE, "volume " + volume + " is unavailable (" + cause + ")", e);
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
