package io.tdkvs.master.s3.control;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.tdkvs.master.errors.Reason;
import io.tdkvs.master.errors.StoreException;
import io.tdkvs.master.keys.control.OpenValue;
import io.tdkvs.master.keys.control.ValueStore;
import io.tdkvs.master.keys.entity.Attributes;
import io.tdkvs.master.keys.entity.Key;
import io.tdkvs.master.keys.entity.MetaKey;
import io.tdkvs.master.meta.control.MetaStore;
import io.tdkvs.master.meta.control.UploadStore;
import io.tdkvs.master.s3.entity.Bucket;
import io.tdkvs.master.s3.entity.S3Error;
import io.tdkvs.master.s3.entity.S3Exception;
import io.tdkvs.master.s3.entity.Upload;

/**
 * Multipart uploads. Each part is a value of the index under the upload's reserved prefix, written and
 * kept like any value, and placed as the object will be. Completing the upload has the volumes that hold
 * the parts make the object's value of them, in the order named, without copying them, or, where they
 * cannot (the parts are not all on the object's volumes), streams them into it (ETag: the MD5 of the parts' MD5s, and their
 * count); then it forgets the upload and removes its parts.
 */
@ApplicationScoped
public class S3Uploads {

    /** S3's smallest part but the last. */
    public static final long MIN_PART = 5L << 20;

    @Inject
    UploadStore uploads;

    @Inject
    ValueStore values;

    @Inject
    MetaStore metaKeys;

    private final SecureRandom random = new SecureRandom();

    /** A part stored: its number and metakey. */
    public record Part(int number, MetaKey meta) {
    }

    /** A part a completion names: its number and the ETag the client was given for it. */
    public record Named(int number, String etag) {
    }

    /**
     * Begins an upload. Its id begins with the object's placement hash, so that its parts are placed as the
     * object will be ({@link Key#UPLOAD_PARTS}).
     */
    public Upload create(Bucket bucket, String key, String contentType, Map<String, String> metadata) {
        byte[] id = new byte[16];
        random.nextBytes(id);
        String placed = HexFormat.of().toHexDigits(Key.of(bucket.keyPrefix() + key).placementHash()) + HexFormat.of().formatHex(id);
        Upload upload = new Upload(placed, bucket.name(), key, Instant.now(), contentType, metadata);
        uploads.create(upload);
        return upload;
    }

    /** @throws S3Exception NoSuchUpload unless the upload is under way for this bucket and key */
    public Upload existing(String id, Bucket bucket, String key) {
        Optional<Upload> upload = Upload.validId(id) ? uploads.get(id) : Optional.empty();
        if (upload.isEmpty() || !upload.get().bucket().equals(bucket.name()) || !upload.get().key().equals(key)) {
            throw new S3Exception(S3Error.NO_SUCH_UPLOAD, "no upload " + id + " under way for this object (completed, aborted, "
                    + "or never begun)", "/" + bucket.name() + "/" + key);
        }
        return upload.get();
    }

    /** The uploads under way in {@code bucket} for keys that begin with {@code prefix}, by key then start. */
    public List<Upload> underWay(Bucket bucket, String prefix) {
        return uploads.all().stream().filter(upload -> upload.bucket().equals(bucket.name()) && upload.key().startsWith(prefix))
                .sorted(java.util.Comparator.comparing(Upload::key).thenComparing(Upload::started)).toList();
    }

    /**
     * Stores part {@code number} (1 to 10,000) of an upload, replacing one of that number; {@code checkedMd5}
     * as {@link ValueStore#put(Key, InputStream, OptionalLong, Optional, String, Map)} says.
     */
    public MetaKey putPart(Upload upload, int number, InputStream body, OptionalLong length, Optional<String> checkedMd5) {
        return values.put(Key.of(upload.partKey(number)), body, length, checkedMd5, "", Map.of()).meta();
    }

    /** The parts stored, by number, after part {@code after} (0: from the first), at most {@code max}. */
    public List<Part> parts(Upload upload, int after, int max) {
        byte[] prefix = upload.partPrefix().getBytes(StandardCharsets.UTF_8);
        byte[] from = (after == 0 ? upload.partPrefix() : upload.partKey(after) + "\u0000").getBytes(StandardCharsets.UTF_8);
        List<Part> parts = new ArrayList<>();
        for (MetaStore.Entry entry : metaKeys.entries(prefix, from, max)) {
            parts.add(new Part(Integer.parseInt(entry.key().value().substring(upload.partPrefix().length())), entry.meta()));
        }
        return parts;
    }

    /**
     * Completes an upload with the parts {@code named}, in ascending order, each with the ETag it was given;
     * all but the last of at least 5 MiB. Answers the object's metakey.
     */
    public MetaKey complete(Upload upload, Bucket bucket, List<Named> named) {
        String resource = "/" + bucket.name() + "/" + upload.key();
        if (named.isEmpty()) {
            throw new S3Exception(S3Error.MALFORMED_XML, "a completion names at least one part", resource);
        }
        Map<Integer, MetaKey> stored = new java.util.HashMap<>();
        parts(upload, 0, Upload.MAX_PARTS).forEach(part -> stored.put(part.number(), part.meta()));
        List<MetaKey> chosen = new ArrayList<>();
        MessageDigest etags = md5();
        long total = 0;
        for (int i = 0; i < named.size(); i++) {
            Named part = named.get(i);
            if (i > 0 && part.number() <= named.get(i - 1).number()) {
                throw new S3Exception(S3Error.INVALID_PART_ORDER, "the parts are not in ascending order: " + part.number()
                        + " after " + named.get(i - 1).number(), resource);
            }
            MetaKey meta = stored.get(part.number());
            String etag = part.etag().strip().replace("\"", "");
            if (meta == null || !meta.attributes().md5().equals(etag)) {
                throw new S3Exception(S3Error.INVALID_PART, "part " + part.number() + (meta == null ? " was not uploaded"
                        : " has the ETag \"" + meta.attributes().md5() + "\", not " + part.etag()), resource);
            }
            if (i < named.size() - 1 && meta.size() < MIN_PART) {
                throw new S3Exception(S3Error.ENTITY_TOO_SMALL, "part " + part.number() + " has " + meta.size()
                        + " bytes; every part but the last needs at least " + MIN_PART, resource);
            }
            etags.update(HexFormat.of().parseHex(meta.attributes().md5()));
            chosen.add(meta);
            total += meta.size();
        }
        String etag = HexFormat.of().formatHex(etags.digest());
        int count = named.size();
        List<Key> partKeys = named.stream().map(part -> Key.of(upload.partKey(part.number()))).toList();
        Key object = Key.of(bucket.keyPrefix() + upload.key());
        List<Long> sizes = chosen.stream().map(MetaKey::size).toList();
        Supplier<Attributes> attributes = () -> new Attributes(System.currentTimeMillis(), etag, count, upload.contentType(),
                upload.metadata(), sizes);
        long size = total;
        MetaKey made = values.compose(object, partKeys, chosen, attributes)
                .orElseGet(() -> streamed(upload, object, partKeys, chosen, size, attributes)).meta();
        forget(upload);
        return made;
    }

    /** Writes an object of the parts' bytes, read in order through the volumes and sent as a value is. */
    private ValueStore.Stored streamed(Upload upload, Key object, List<Key> partKeys, List<MetaKey> parts, long total,
                                       Supplier<Attributes> attributes) {
        try (InputStream bytes = new PartsInOrder(partKeys, parts)) {
            return values.put(object, bytes, OptionalLong.of(total), attributes);
        } catch (IOException e) {
            throw new StoreException(Reason.VOLUME_UNAVAILABLE, "the parts of upload " + upload.id() + " could not be read: "
                    + e.getMessage());
        }
    }

    /** Forgets an upload and removes its parts (an abort, or after its completion). */
    public void forget(Upload upload) {
        uploads.delete(upload.id());
        for (Part part : parts(upload, 0, Upload.MAX_PARTS)) {
            values.deleteIfPresent(Key.of(upload.partKey(part.number())));
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no MD5", e);
        }
    }

    /** The parts' bytes one after the other, each opened when the one before has ended, each checked against its metakey. */
    private final class PartsInOrder extends InputStream {

        private final List<Key> keys;
        private final List<MetaKey> metas;
        private int next;
        private InputStream current;

        PartsInOrder(List<Key> keys, List<MetaKey> metas) {
            this.keys = keys;
            this.metas = metas;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            while (true) {
                if (current == null) {
                    if (next == keys.size()) {
                        return -1;
                    }
                    current = open(next++);
                }
                int n = current.read(buffer, offset, length);
                if (n >= 0) {
                    return n;
                }
                current.close();
                current = null;
            }
        }

        private InputStream open(int index) throws IOException {
            try {
                OpenValue part = values.open(keys.get(index), Optional.empty());
                if (!part.meta().equals(metas.get(index))) {
                    part.stream().discard();
                    throw new IOException("part " + keys.get(index).value() + " was uploaded again while the upload completed");
                }
                return part.stream().input();
            } catch (StoreException e) {
                throw new IOException(e.getMessage(), e);
            }
        }

        @Override
        public void close() throws IOException {
            if (current != null) {
                current.close();
            }
        }
    }
}
