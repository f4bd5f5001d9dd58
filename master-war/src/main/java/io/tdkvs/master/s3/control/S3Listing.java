package io.tdkvs.master.s3.control;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.tdkvs.master.keys.entity.MetaKey;
import io.tdkvs.master.meta.control.MetaStore;
import io.tdkvs.master.s3.entity.Bucket;
import io.tdkvs.master.s3.entity.S3Error;
import io.tdkvs.master.s3.entity.S3Exception;

/**
 * A bucket's objects in key order, a page at a time, as ListObjects (v1 and v2) answers them: those
 * under a prefix, and with a delimiter the keys that hold it after the prefix rolled up into one
 * common prefix each. A page ends after {@code maxKeys} keys and common prefixes; where the next one
 * begins is a position in the index's key order (a continuation token carries it).
 */
@ApplicationScoped
public class S3Listing {

    public static final int MAX_KEYS = 1000;
    private static final int PAGE = 1000;

    @Inject
    MetaStore metaKeys;

    /** An object of a page: its key within the bucket and its metakey. */
    public record Listed(String key, MetaKey meta) {
    }

    /** A page; {@code next} is where the following one begins when {@code truncated}. */
    public record Page(List<Listed> objects, List<String> commonPrefixes, boolean truncated, Optional<Position> next,
                       Optional<String> last) {
    }

    /** A place in the bucket's key order: the first key at or after these bytes of the index key. */
    public record Position(byte[] from) {

        /** Right after the object key {@code key} (or a marker) of {@code bucket}. */
        public static Position after(Bucket bucket, String key) {
            byte[] bytes = (bucket.keyPrefix() + key).getBytes(StandardCharsets.UTF_8);
            return new Position(Arrays.copyOf(bytes, bytes.length + 1)); // the key itself and a NUL: its successor
        }

        /** Past every key that begins with {@code prefix}: no UTF-8 text holds the byte 0xFF. */
        public static Position past(Bucket bucket, String prefix) {
            byte[] bytes = (bucket.keyPrefix() + prefix).getBytes(StandardCharsets.UTF_8);
            byte[] past = Arrays.copyOf(bytes, bytes.length + 1);
            past[bytes.length] = (byte) 0xff;
            return new Position(past);
        }

        /** As a continuation token: opaque to clients. */
        public String token() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(from);
        }

        /** @throws S3Exception InvalidArgument if the token was not made by {@link #token} for this bucket */
        public static Position ofToken(Bucket bucket, String token) {
            try {
                byte[] from = Base64.getUrlDecoder().decode(token);
                byte[] prefix = bucket.keyPrefix().getBytes(StandardCharsets.UTF_8);
                if (from.length >= prefix.length && Arrays.equals(from, 0, prefix.length, prefix, 0, prefix.length)) {
                    return new Position(from);
                }
            } catch (IllegalArgumentException e) {
                // answered below
            }
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "the continuation token is not one this bucket's listing gave",
                    "/" + bucket.name());
        }
    }

    /**
     * A page of the objects of {@code bucket} under {@code prefix}, from {@code start} (or the first),
     * with common prefixes if {@code delimiter} is not empty.
     */
    public Page list(Bucket bucket, String prefix, String delimiter, Optional<Position> start, int maxKeys) {
        byte[] under = (bucket.keyPrefix() + prefix).getBytes(StandardCharsets.UTF_8);
        byte[] from = start.map(Position::from).orElse(under);
        List<Listed> objects = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        int skip = bucket.keyPrefix().length();
        Optional<String> last = Optional.empty();
        while (true) {
            List<MetaStore.Entry> page = metaKeys.entries(under, from, PAGE);
            boolean restart = false;
            for (MetaStore.Entry entry : page) {
                String key = entry.key().value().substring(skip);
                int cut = delimiter.isEmpty() ? -1 : key.indexOf(delimiter, prefix.length());
                if (objects.size() + prefixes.size() == maxKeys) {
                    return new Page(objects, prefixes, true, Optional.of(new Position(from)), last);
                }
                if (cut >= 0) {
                    String common = key.substring(0, cut + delimiter.length());
                    prefixes.add(common);
                    last = Optional.of(common);
                    from = Position.past(bucket, common).from();
                    restart = true; // the keys under it are skipped: the index is read again past them
                    break;
                }
                objects.add(new Listed(key, entry.meta()));
                last = Optional.of(key);
                from = Position.after(bucket, key).from();
            }
            if (!restart && page.size() < PAGE) {
                return new Page(objects, prefixes, false, Optional.empty(), last);
            }
        }
    }
}
