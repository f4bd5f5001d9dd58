package io.tdkvs.master.volumes.control;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;

import io.tdkvs.config.VolumeUrl;
import io.tdkvs.master.errors.Reason;
import io.tdkvs.master.errors.StoreException;
import io.tdkvs.master.keys.entity.Key;
import io.tdkvs.protocol.BlobFile;
import io.tdkvs.protocol.BlobFrames;
import io.tdkvs.protocol.BlobInfo;
import io.tdkvs.protocol.BlobName;
import io.tdkvs.protocol.ByteRange;
import io.tdkvs.protocol.Imported;
import io.tdkvs.protocol.NameList;
import io.tdkvs.protocol.ProtocolException;
import io.tdkvs.protocol.VolumeApi;
import io.tdkvs.protocol.VolumeStatus;

/**
 * The master's side of the volume API ({@link VolumeApi}), over the JDK's blocking HTTP client
 * ({@link HttpURLConnection}), whose connections are kept alive and reused (up to
 * {@code http.maxConnections} per volume). A volume that cannot be reached is
 * {@link Reason#VOLUME_UNAVAILABLE}; one that answers wrongly is {@link Reason#VOLUME_FAILED}.
 * Values are streamed both ways, never held in memory whole, but for values of at most one chunk
 * (64 KiB), which are read whole and sent to each volume with the other small copies waiting for it,
 * many to a request ({@link WriteBatches}).
 */
@Singleton
public class VolumeClient {

    private static final int CONNECT_MILLIS = 3_000;
    private static final int ANSWER_MILLIS = 30_000;
    private static final int STATUS_MILLIS = 5_000;
    /** A PUT is answered only when the whole value is stored; allow for slow, large values. */
    private static final int UPLOAD_MILLIS = (int) Duration.ofHours(1).toMillis();
    private static final int CHUNK = 64 * 1024;

    private final Jsonb json = JsonbBuilder.create();
    private final WriteBatches batches = new WriteBatches(this::storeAll);

    /**
     * Streams a value once to several volumes at a time, each keeping a copy, and checks that each
     * stored exactly the bytes sent. Answers, per volume in order, the copy it stored or why it did not.
     * The volumes receive the bytes as the client sends them and sync their copies at the same time.
     *
     * @param length the announced length of the value, if known
     * @throws StoreException if the client's body broke off or ended short: no volume keeps a copy
     */
    public List<StoredCopy> putAll(List<VolumeUrl> targets, BlobName name, Key key, InputStream value, OptionalLong length) {
        CountingInput counted = new CountingInput(value);
        if (length.isPresent() && length.getAsLong() <= CHUNK) {
            return putSmall(targets, name, key, counted, (int) length.getAsLong());
        }
        List<Upload> uploads = new ArrayList<>(targets.size());
        for (VolumeUrl volume : targets) {
            HttpURLConnection put = upload(volume, blobPath(name), "PUT", length);
            put.setRequestProperty(VolumeApi.KEY, VolumeApi.keyHeader(key.utf8()));
            uploads.add(new Upload(volume, put));
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
    }

    /**
     * A value of at most one chunk is read whole, then its copies go to their volumes with the other
     * small copies that wait for them (see {@link WriteBatches}).
     */
    private List<StoredCopy> putSmall(List<VolumeUrl> targets, BlobName name, Key key, CountingInput counted, int length) {
        byte[] bytes;
        try {
            bytes = counted.readNBytes(length);
        } catch (IOException e) {
            throw brokenBody(counted);
        }
        checkComplete(counted, OptionalLong.of(length));
        SmallCopy copy = new SmallCopy(name, key.utf8(), bytes, counted.crc32c());
        List<CompletableFuture<StoredCopy>> copies = targets.stream().map(volume -> batches.store(volume, copy)).toList();
        return copies.stream().map(CompletableFuture::join).toList();
    }

    /**
     * Stores small copies on a volume with one request, as blob files in frames ({@code POST
     * blobs/import}); the volume syncs them all before it answers. Answers, per copy in order, the copy
     * it stored or why it did not.
     */
    private List<StoredCopy> storeAll(VolumeUrl volume, List<SmallCopy> copies) {
        long length = 0;
        for (SmallCopy copy : copies) {
            length += BlobName.LENGTH + Long.BYTES + BlobFile.fileLength(copy.key().length, copy.value().length);
        }
        HttpURLConnection post = upload(volume, VolumeApi.BLOBS + "/" + VolumeApi.IMPORT, "POST", OptionalLong.of(length));
        post.setReadTimeout(ANSWER_MILLIS);
        int status;
        String answer;
        try {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(post.getOutputStream(), CHUNK))) {
                for (SmallCopy copy : copies) {
                    BlobFrames.writeHeader(out, copy.name(), BlobFile.fileLength(copy.key().length, copy.value().length));
                    write(out, BlobFile.header(copy.key()));
                    out.write(copy.value());
                    write(out, BlobFile.trailer(copy.value().length, copy.crc32c()));
                }
            }
            status = post.getResponseCode();
            answer = status == 200 ? text(post.getInputStream()) : errorText(post);
        } catch (IOException e) {
            post.disconnect();
            throw unavailable(volume, e);
        }
        if (status != 200) {
            throw failed(volume, "storing " + copies.size() + " values", status, answer);
        }
        Map<BlobName, Imported> imported = new HashMap<>();
        try {
            answer.lines().map(Imported::parse).forEach(line -> imported.put(line.name(), line));
        } catch (ProtocolException e) {
            throw malformed(volume, e);
        }
        return copies.stream().map(copy -> checked(volume, copy, imported.get(copy.name()))).toList();
    }

    /** A copy the volume says it stored, if it stored the bytes sent. */
    private static StoredCopy checked(VolumeUrl volume, SmallCopy copy, Imported imported) {
        if (imported == null || !imported.present()) {
            return StoredCopy.failed(volume, new StoreException(Reason.VOLUME_FAILED, "volume " + volume
                    + " did not say it stored blob " + copy.name()));
        }
        if (imported.size() != copy.value().length || imported.crc32c() != copy.crc32c()) {
            return StoredCopy.failed(volume, new StoreException(Reason.VOLUME_FAILED, "volume " + volume + " stored "
                    + imported.size() + " bytes with another checksum than the " + copy.value().length + " bytes sent"));
        }
        return StoredCopy.stored(volume, new BlobInfo(copy.name(), imported.size(), imported.crc32c(), copy.key()));
    }

    private static void write(OutputStream out, ByteBuffer buffer) throws IOException {
        out.write(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
    }

    @PreDestroy
    void close() {
        batches.close();
    }

    /** One volume's copy of a value on its way. */
    private final class Upload {

        private final VolumeUrl volume;
        private final HttpURLConnection connection;
        private OutputStream out;
        private IOException failure;

        Upload(VolumeUrl volume, HttpURLConnection connection) {
            this.volume = volume;
            this.connection = connection;
        }

        boolean sending() {
            return failure == null;
        }

        void write(byte[] chunk, int length) {
            if (failure != null) {
                return;
            }
            try {
                if (out == null) {
                    out = connection.getOutputStream();
                }
                out.write(chunk, 0, length);
            } catch (IOException e) {
                failure = e;
                connection.disconnect();
            }
        }

        void abort() {
            connection.disconnect();
        }

        /** Sends what is still buffered of the body, and ends it. */
        void endBody() {
            if (failure != null) {
                return;
            }
            try {
                (out == null ? connection.getOutputStream() : out).close();
            } catch (IOException e) {
                failure = e;
                connection.disconnect();
            }
        }

        /** Reads the volume's answer to the {@link #endBody ended} body. */
        StoredCopy finish(BlobName name, Key key, CountingInput counted) {
            int status;
            String answer;
            try {
                if (failure != null) {
                    throw failure;
                }
                status = connection.getResponseCode();
                answer = status == 201 ? "" : errorText(connection);
            } catch (IOException e) {
                connection.disconnect();
                return StoredCopy.failed(volume, unavailable(volume, e));
            }
            try {
                if (status != 201) {
                    throw failed(volume, "storing " + name, status, answer);
                }
                long size = connection.getHeaderFieldLong(VolumeApi.SIZE, -1);
                int crc32c = crc32c(volume, connection.getHeaderField(VolumeApi.CRC32C));
                drain(connection);
                if (size != counted.count() || crc32c != counted.crc32c()) {
                    delete(volume, name);
                    throw new StoreException(Reason.VOLUME_FAILED, "volume " + volume + " stored " + size
                            + " bytes with another checksum than the " + counted.count() + " bytes sent; its copy was removed");
                }
                return StoredCopy.stored(volume, new BlobInfo(name, size, crc32c, key.utf8()));
            } catch (StoreException e) {
                return StoredCopy.failed(volume, e);
            }
        }
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
        HttpURLConnection get = open(volume, blobPath(name), "GET", ANSWER_MILLIS);
        range.ifPresent(part -> get.setRequestProperty("Range", part.header()));
        int status = status(volume, get);
        if (status == 404) {
            drain(get);
            return Optional.empty();
        }
        if (status != (range.isPresent() ? 206 : 200)) {
            throw failed(volume, "reading " + name, status, errorText(get));
        }
        try {
            return Optional.of(new BlobStream(get.getInputStream(), get.getContentLengthLong()));
        } catch (IOException e) {
            throw unavailable(volume, e);
        }
    }

    /** Removes a blob; false if the volume did not hold it. */
    public boolean delete(VolumeUrl volume, BlobName name) {
        HttpURLConnection delete = open(volume, blobPath(name), "DELETE", ANSWER_MILLIS);
        int status = status(volume, delete);
        if (status == 404 || status == 204) {
            drain(delete);
            return status == 204;
        }
        throw failed(volume, "deleting " + name, status, errorText(delete));
    }

    /** Opens the named blobs of a volume as one stream of frames, to be handed to {@link #importFrames}. The caller closes it. */
    public InputStream export(VolumeUrl volume, List<BlobName> names) {
        HttpURLConnection export = postNames(volume, VolumeApi.EXPORT, names);
        int status = status(volume, export);
        if (status != 200) {
            throw failed(volume, "sending " + names.size() + " blobs", status, errorText(export));
        }
        try {
            return export.getInputStream();
        } catch (IOException e) {
            throw unavailable(volume, e);
        }
    }

    /**
     * Streams frames from {@link #export} to a volume, which stores every blob in them durably
     * before it answers. If the frames break off, the {@link StoreException} names the volume that sent them.
     */
    public List<Imported> importFrames(VolumeUrl volume, VolumeUrl sender, InputStream frames) {
        CountingInput counted = new CountingInput(frames);
        HttpURLConnection post = upload(volume, VolumeApi.BLOBS + "/" + VolumeApi.IMPORT, "POST", OptionalLong.empty());
        int status;
        String answer;
        try {
            status = send(post, counted);
            answer = status == 200 ? text(post.getInputStream()) : errorText(post);
        } catch (IOException e) {
            post.disconnect();
            throw unavailable(counted.failure() != null ? sender : volume, counted.failure() != null ? counted.failure() : e);
        }
        if (status != 200) {
            throw failed(volume, "storing blobs sent by " + sender, status, answer);
        }
        try {
            return answer.lines().map(Imported::parse).toList();
        } catch (ProtocolException e) {
            throw malformed(volume, e);
        }
    }

    /** Removes many blobs with one request; answers how many the volume had. */
    public int deleteAll(VolumeUrl volume, List<BlobName> names) {
        if (names.isEmpty()) {
            return 0;
        }
        HttpURLConnection post = postNames(volume, VolumeApi.DELETE, names);
        int status = status(volume, post);
        String answer = status == 200 ? read(volume, post) : errorText(post);
        if (status != 200) {
            throw failed(volume, "deleting " + names.size() + " blobs", status, answer);
        }
        try {
            return NameList.parseDeleted(answer);
        } catch (ProtocolException e) {
            throw malformed(volume, e);
        }
    }

    /** Every blob a volume holds, streamed a line at a time to {@code each}. */
    public void list(VolumeUrl volume, Consumer<BlobInfo> each) {
        HttpURLConnection get = open(volume, VolumeApi.BLOBS, "GET", ANSWER_MILLIS);
        int status = status(volume, get);
        if (status != 200) {
            throw failed(volume, "listing its blobs", status, errorText(get));
        }
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(get.getInputStream(), StandardCharsets.US_ASCII))) {
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
        HttpURLConnection get = open(volume, VolumeApi.STATUS, "GET", STATUS_MILLIS);
        int status = status(volume, get);
        if (status != 200) {
            drain(get);
            throw new StoreException(Reason.VOLUME_UNAVAILABLE, "volume " + volume + " is not ready (it answered "
                    + status + " to GET /" + VolumeApi.STATUS + ")");
        }
        String body = read(volume, get);
        try {
            return json.fromJson(body, VolumeStatus.class);
        } catch (JsonbException e) {
            throw malformed(volume, new ProtocolException("its status is not JSON: " + e.getMessage()));
        }
    }

    /** Throws {@link Reason#VOLUME_UNAVAILABLE} unless the volume answers. */
    public void ping(VolumeUrl volume) {
        status(volume);
    }

    private static HttpURLConnection open(VolumeUrl volume, String path, String method, int readMillis) {
        try {
            HttpURLConnection connection = (HttpURLConnection) new URL(volume.value() + "/" + path).openConnection(Proxy.NO_PROXY);
            connection.setRequestMethod(method);
            connection.setConnectTimeout(CONNECT_MILLIS);
            connection.setReadTimeout(readMillis);
            connection.setUseCaches(false);
            connection.setInstanceFollowRedirects(false);
            return connection;
        } catch (IOException e) {
            throw unavailable(volume, e);
        }
    }

    /** The status of the answer: sends the request if it has not gone yet. */
    private static int status(VolumeUrl volume, HttpURLConnection connection) {
        try {
            return connection.getResponseCode();
        } catch (IOException e) {
            connection.disconnect();
            throw unavailable(volume, e);
        }
    }

    /** A POST of blob names to a batch endpoint of a volume. */
    private static HttpURLConnection postNames(VolumeUrl volume, String endpoint, List<BlobName> names) {
        byte[] body = NameList.format(names).getBytes(StandardCharsets.US_ASCII);
        HttpURLConnection post = open(volume, VolumeApi.BLOBS + "/" + endpoint, "POST", ANSWER_MILLIS);
        post.setDoOutput(true);
        post.setFixedLengthStreamingMode(body.length);
        post.setRequestProperty("Content-Type", "text/plain");
        try (OutputStream out = post.getOutputStream()) {
            out.write(body);
        } catch (IOException e) {
            post.disconnect();
            throw unavailable(volume, e);
        }
        return post;
    }

    /** A request that streams a body of {@code length} bytes, or chunked if the length is not known. */
    private static HttpURLConnection upload(VolumeUrl volume, String path, String method, OptionalLong length) {
        HttpURLConnection upload = open(volume, path, method, UPLOAD_MILLIS);
        upload.setDoOutput(true);
        if (length.isPresent()) {
            upload.setFixedLengthStreamingMode(length.getAsLong());
        } else {
            upload.setChunkedStreamingMode(CHUNK);
        }
        upload.setRequestProperty("Content-Type", "application/octet-stream");
        return upload;
    }

    /** Streams the body of an {@link #upload}; answers the status of the answer. */
    private static int send(HttpURLConnection upload, InputStream body) throws IOException {
        try (OutputStream out = upload.getOutputStream()) {
            byte[] chunk = new byte[CHUNK];
            for (int read; (read = body.read(chunk)) >= 0; ) {
                out.write(chunk, 0, read);
            }
        }
        return upload.getResponseCode();
    }

    private static String blobPath(BlobName name) {
        return VolumeApi.BLOBS + "/" + name;
    }

    private static int crc32c(VolumeUrl volume, String header) {
        try {
            return VolumeApi.crc32cFromHeader(header);
        } catch (ProtocolException e) {
            throw malformed(volume, e);
        }
    }

    /** The body of a successful answer, as text. */
    private static String read(VolumeUrl volume, HttpURLConnection connection) {
        try {
            return text(connection.getInputStream());
        } catch (IOException e) {
            throw unavailable(volume, e);
        }
    }

    /** The first kilobyte of an error answer, for the message; the connection can then be reused. */
    private static String errorText(HttpURLConnection connection) {
        try (InputStream error = connection.getErrorStream()) {
            return error == null ? "" : new String(error.readNBytes(1024), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String text(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Reads what is left of an answer, so that its connection can serve the next request. */
    private static void drain(HttpURLConnection connection) {
        try (InputStream in = connection.getResponseCode() < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            if (in != null) {
                in.transferTo(OutputStream.nullOutputStream());
            }
        } catch (IOException e) {
            connection.disconnect();
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
}
