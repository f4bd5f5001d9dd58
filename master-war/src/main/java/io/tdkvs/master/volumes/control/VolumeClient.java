package io.tdkvs.master.volumes.control;

import static io.tdkvs.master.volumes.control.VolumeHttp.drain;
import static io.tdkvs.master.volumes.control.VolumeHttp.errorText;
import static io.tdkvs.master.volumes.control.VolumeHttp.failed;
import static io.tdkvs.master.volumes.control.VolumeHttp.malformed;
import static io.tdkvs.master.volumes.control.VolumeHttp.read;
import static io.tdkvs.master.volumes.control.VolumeHttp.text;
import static io.tdkvs.master.volumes.control.VolumeHttp.unavailable;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;

import io.tdkvs.config.Deadlines;
import io.tdkvs.config.VolumeUrl;
import io.tdkvs.master.errors.Reason;
import io.tdkvs.master.errors.StoreException;
import io.tdkvs.protocol.BlobFile;
import io.tdkvs.protocol.BlobFrames;
import io.tdkvs.protocol.BlobInfo;
import io.tdkvs.protocol.BlobName;
import io.tdkvs.protocol.ByteRange;
import io.tdkvs.protocol.Imported;
import io.tdkvs.protocol.NameList;
import io.tdkvs.protocol.PartList;
import io.tdkvs.protocol.ProtocolException;
import io.tdkvs.protocol.VolumeApi;
import io.tdkvs.protocol.VolumeStatus;

/**
 * The master's side of the volume API ({@link VolumeApi}): one method per call, over
 * {@link VolumeHttp}. Reads wait for a volume's answer as long as {@link Deadlines#read} allows a copy;
 * the calls of migrations, repairs and verify, which move many blobs at a time, up to
 * {@link Deadlines#BACKGROUND}. Writes of clients' values go through {@link WriteFanOut}.
 */
@Singleton
public class VolumeClient {

    private static final Duration STATUS = Duration.ofSeconds(5);
    private static final Duration BACKGROUND = Deadlines.BACKGROUND;

    @Inject
    VolumeHttp http;

    private final Jsonb json = JsonbBuilder.create();

    /**
     * Stores small copies on a volume with one request, as blob files in frames ({@code POST
     * blobs/import}); the volume syncs them all before it answers, within {@code deadline}. Answers,
     * per copy in order, the copy it stored or why it did not.
     */
    List<StoredCopy> storeAll(VolumeUrl volume, List<SmallCopy> copies, Duration deadline) {
        long length = 0;
        for (SmallCopy copy : copies) {
            length += BlobName.LENGTH + Long.BYTES + BlobFile.fileLength(copy.key().length, copy.value().length);
        }
        HttpURLConnection post = http.upload(volume, VolumeApi.BLOBS + "/" + VolumeApi.IMPORT, "POST", OptionalLong.of(length), deadline);
        int status;
        String answer;
        try (VolumeHttp.Watch watch = http.watch(post, deadline)) {
            watch.arm();
            try {
                try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(post.getOutputStream(), VolumeHttp.CHUNK))) {
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
                watch.cut();
                throw watch.fired() ? VolumeHttp.tooSlow(volume, watch, "storing " + copies.size() + " values") : unavailable(volume, e);
            }
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

    /**
     * Copies one blob from a volume that holds it to another, which keeps it durably, as a migration
     * does (export, then import), each volume answering within {@code deadline}; answers what the target
     * stored, or empty if the source lacks it.
     */
    public Optional<Imported> copy(VolumeUrl source, VolumeUrl target, BlobName name, Duration deadline) {
        try (InputStream frames = export(source, List.of(name), deadline)) {
            return importFrames(target, source, frames, deadline).stream().filter(Imported::present).findFirst();
        } catch (IOException e) {
            throw unavailable(source, e);
        }
    }

    /**
     * Opens a value, or a range of it, for reading; empty if the volume does not hold that blob.
     * The range must lie within the value.
     */
    public Optional<BlobStream> get(VolumeUrl volume, BlobName name, Optional<ByteRange> range) {
        return get(volume, name, range, BACKGROUND);
    }

    /**
     * {@link #get}, waiting at most {@code deadline} for the volume to begin its answer; the value then
     * streams with the background deadline for each read, so a large value is not cut by a pause.
     */
    public Optional<BlobStream> get(VolumeUrl volume, BlobName name, Optional<ByteRange> range, Duration deadline) {
        HttpURLConnection get = http.open(volume, blobPath(name), "GET", BACKGROUND);
        range.ifPresent(part -> get.setRequestProperty("Range", part.header()));
        int status;
        try (VolumeHttp.Watch watch = http.watch(get, deadline)) {
            watch.arm();
            try {
                status = get.getResponseCode();
            } catch (IOException e) {
                watch.cut();
                throw watch.fired() ? VolumeHttp.tooSlow(volume, watch, "reading " + name) : unavailable(volume, e);
            }
        }
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

    /**
     * Has each of {@code volumes} store blob {@code name} of {@code key}, made of the values of {@code parts}
     * (blobs it holds) one after the other, without their bytes being sent ({@code POST blobs/compose}).
     * The requests go out together and the volumes compose at once; each answers within {@code deadline}.
     * Answers, per volume in order, what it stored or why it did not (a part it lacks, or damaged).
     */
    public List<StoredCopy> compose(List<VolumeUrl> volumes, BlobName name, byte[] key, List<PartList.Part> parts,
                                    Duration deadline) {
        byte[] body = PartList.format(parts).getBytes(StandardCharsets.US_ASCII);
        String what = "joining " + parts.size() + " parts into blob " + name;
        List<HttpURLConnection> posts = new ArrayList<>();
        List<StoredCopy> failedToSend = new ArrayList<>();
        for (VolumeUrl volume : volumes) {
            HttpURLConnection post = http.open(volume, VolumeApi.BLOBS + "/" + VolumeApi.COMPOSE + "/" + name, "POST", deadline);
            post.setDoOutput(true);
            post.setFixedLengthStreamingMode(body.length);
            post.setRequestProperty("Content-Type", "text/plain");
            post.setRequestProperty(VolumeApi.KEY, VolumeApi.keyHeader(key));
            try (OutputStream out = post.getOutputStream()) {
                out.write(body);
                posts.add(post);
                failedToSend.add(null);
            } catch (IOException e) {
                post.disconnect();
                posts.add(null);
                failedToSend.add(StoredCopy.failed(volume, unavailable(volume, e)));
            }
        }
        List<StoredCopy> copies = new ArrayList<>();
        for (int i = 0; i < volumes.size(); i++) {
            copies.add(posts.get(i) == null ? failedToSend.get(i) : composed(volumes.get(i), posts.get(i), name, key, what));
        }
        return copies;
    }

    private static StoredCopy composed(VolumeUrl volume, HttpURLConnection post, BlobName name, byte[] key, String what) {
        try {
            int status;
            try {
                status = post.getResponseCode();
            } catch (IOException e) {
                post.disconnect();
                throw unavailable(volume, e);
            }
            if (status != 201) {
                throw failed(volume, what, status, errorText(post));
            }
            long size = post.getHeaderFieldLong(VolumeApi.SIZE, -1);
            int crc32c;
            try {
                crc32c = VolumeApi.crc32cFromHeader(post.getHeaderField(VolumeApi.CRC32C));
            } catch (ProtocolException e) {
                throw malformed(volume, e);
            }
            drain(post);
            return StoredCopy.stored(volume, new BlobInfo(name, size, crc32c, key));
        } catch (StoreException e) {
            return StoredCopy.failed(volume, e);
        }
    }

    /** Removes a blob; false if the volume did not hold it. */
    public boolean delete(VolumeUrl volume, BlobName name) {
        HttpURLConnection delete = http.open(volume, blobPath(name), "DELETE", BACKGROUND);
        int status = VolumeHttp.status(volume, delete);
        if (status == 404 || status == 204) {
            drain(delete);
            return status == 204;
        }
        throw failed(volume, "deleting " + name, status, errorText(delete));
    }

    /** Opens the named blobs of a volume as one stream of frames, to be handed to {@link #importFrames}. The caller closes it. */
    public InputStream export(VolumeUrl volume, List<BlobName> names) {
        return export(volume, names, BACKGROUND);
    }

    private InputStream export(VolumeUrl volume, List<BlobName> names, Duration deadline) {
        HttpURLConnection export = postNames(volume, VolumeApi.EXPORT, names, deadline);
        int status = VolumeHttp.status(volume, export);
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
        return importFrames(volume, sender, frames, BACKGROUND);
    }

    private List<Imported> importFrames(VolumeUrl volume, VolumeUrl sender, InputStream frames, Duration deadline) {
        CountingInput counted = new CountingInput(frames);
        HttpURLConnection post = http.upload(volume, VolumeApi.BLOBS + "/" + VolumeApi.IMPORT, "POST", OptionalLong.empty(), deadline);
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
        HttpURLConnection post = postNames(volume, VolumeApi.DELETE, names, BACKGROUND);
        int status = VolumeHttp.status(volume, post);
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
        HttpURLConnection get = http.open(volume, VolumeApi.BLOBS, "GET", BACKGROUND);
        int status = VolumeHttp.status(volume, get);
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
        HttpURLConnection get = http.open(volume, VolumeApi.STATUS, "GET", STATUS);
        int status = VolumeHttp.status(volume, get);
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

    /** A POST of blob names to a batch endpoint of a volume. */
    private HttpURLConnection postNames(VolumeUrl volume, String endpoint, List<BlobName> names, Duration deadline) {
        byte[] body = NameList.format(names).getBytes(StandardCharsets.US_ASCII);
        HttpURLConnection post = http.open(volume, VolumeApi.BLOBS + "/" + endpoint, "POST", deadline);
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

    /** Streams the body of an upload; answers the status of the answer. */
    private static int send(HttpURLConnection upload, InputStream body) throws IOException {
        try (OutputStream out = upload.getOutputStream()) {
            byte[] chunk = new byte[VolumeHttp.CHUNK];
            for (int read; (read = body.read(chunk)) >= 0; ) {
                out.write(chunk, 0, read);
            }
        }
        return upload.getResponseCode();
    }

    static String blobPath(BlobName name) {
        return VolumeApi.BLOBS + "/" + name;
    }
}
