package io.tdkvs.master.s3.control;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.tdkvs.master.group.control.Leadership;
import io.tdkvs.master.meta.control.BucketStore;
import io.tdkvs.master.meta.control.MetaStore;
import io.tdkvs.master.s3.entity.Bucket;
import io.tdkvs.master.s3.entity.S3Error;
import io.tdkvs.master.s3.entity.S3Exception;

/**
 * The buckets: made, found, listed, and removed once no key of the index lies under them. Every S3
 * request looks its bucket up, so the buckets found are kept in memory: only the master that leads
 * makes and removes buckets, and it forgets them all when the leadership changes.
 */
@ApplicationScoped
public class S3Buckets {

    @Inject
    BucketStore buckets;

    @Inject
    MetaStore metaKeys;

    @Inject
    Leadership leadership;

    private final Map<String, Bucket> found = new ConcurrentHashMap<>();
    /** Counts removals: a lookup that began before one does not keep what it read. */
    private volatile long removals;

    @PostConstruct
    void forgetOnLeadershipChanges() {
        leadership.onChange(view -> forgetAll());
    }

    synchronized void forgetAll() {
        removals++;
        found.clear();
    }

    public List<Bucket> all() {
        return buckets.all();
    }

    /** @throws S3Exception BucketAlreadyOwnedByYou if it exists (every key of the endpoint owns every bucket) */
    public Bucket create(String name) {
        Bucket bucket = new Bucket(Bucket.check(name), Instant.now());
        if (!buckets.create(bucket)) {
            throw new S3Exception(S3Error.BUCKET_ALREADY_OWNED_BY_YOU, "the bucket " + name + " exists", "/" + name);
        }
        return bucket;
    }

    /** @throws S3Exception NoSuchBucket */
    public Bucket existing(String name) {
        Bucket known = found.get(name);
        if (known != null) {
            return known;
        }
        long removalsBefore = removals;
        Optional<Bucket> bucket = Optional.empty();
        try {
            bucket = buckets.get(Bucket.check(name));
        } catch (S3Exception invalid) {
            // a name that cannot be a bucket's names no bucket
        }
        Bucket existing = bucket.orElseThrow(() -> new S3Exception(S3Error.NO_SUCH_BUCKET, "no bucket named " + name, "/" + name));
        synchronized (this) {
            if (removals == removalsBefore) {
                found.put(name, existing);
            }
        }
        return existing;
    }

    /** @throws S3Exception NoSuchBucket, or BucketNotEmpty while a key lies under it */
    public void delete(String name) {
        Bucket bucket = existing(name);
        if (!metaKeys.keys(bucket.keyPrefix().getBytes(StandardCharsets.UTF_8), Optional.empty(), 1).isEmpty()) {
            throw new S3Exception(S3Error.BUCKET_NOT_EMPTY, "the bucket " + name + " holds objects; delete them first", "/" + name);
        }
        boolean deleted = buckets.delete(name);
        synchronized (this) {
            removals++;
            found.remove(name);
        }
        if (!deleted) {
            throw new S3Exception(S3Error.NO_SUCH_BUCKET, "no bucket named " + name, "/" + name);
        }
    }
}
