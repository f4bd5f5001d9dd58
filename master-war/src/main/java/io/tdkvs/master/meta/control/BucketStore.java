package io.tdkvs.master.meta.control;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.sleepycat.je.Cursor;
import com.sleepycat.je.CursorConfig;
import com.sleepycat.je.DatabaseEntry;
import com.sleepycat.je.LockMode;
import com.sleepycat.je.OperationStatus;

import io.tdkvs.master.s3.entity.Bucket;

/**
 * The S3 buckets, in the index's cluster database (so a group of masters replicates them with the
 * rest): under {@code bucket/<name>}, a record of format version (1 byte, = 1) and creation time (8,
 * milliseconds since the epoch, big-endian).
 */
@ApplicationScoped
public class BucketStore {

    private static final String PREFIX = "bucket/";
    private static final byte VERSION = 1;

    private Database database;

    protected BucketStore() {
        // for the CDI proxy
    }

    @Inject
    public BucketStore(Database database) {
        this.database = database;
    }

    public Optional<Bucket> get(String name) {
        return database.call(() -> {
            DatabaseEntry data = new DatabaseEntry();
            if (database.cluster().get(null, key(name), data, LockMode.READ_COMMITTED) != OperationStatus.SUCCESS) {
                return Optional.empty();
            }
            return Optional.of(read(name, data));
        });
    }

    /** Creates a bucket; false if one of that name exists. */
    public boolean create(Bucket bucket) {
        return database.inTransaction(txn -> database.cluster().putNoOverwrite(txn, key(bucket.name()), write(bucket))
                == OperationStatus.SUCCESS);
    }

    /** Forgets a bucket; false if there was none of that name. */
    public boolean delete(String name) {
        return database.inTransaction(txn -> database.cluster().delete(txn, key(name)) == OperationStatus.SUCCESS);
    }

    /** Every bucket, by name. */
    public List<Bucket> all() {
        return database.call(() -> {
            List<Bucket> buckets = new ArrayList<>();
            byte[] prefix = PREFIX.getBytes(StandardCharsets.UTF_8);
            try (Cursor cursor = database.cluster().openCursor(null, CursorConfig.READ_COMMITTED)) {
                DatabaseEntry key = new DatabaseEntry(prefix);
                DatabaseEntry data = new DatabaseEntry();
                for (OperationStatus status = cursor.getSearchKeyRange(key, data, null);
                     status == OperationStatus.SUCCESS && startsWith(key.getData(), prefix);
                     status = cursor.getNext(key, data, null)) {
                    String name = new String(key.getData(), prefix.length, key.getData().length - prefix.length, StandardCharsets.UTF_8);
                    buckets.add(read(name, data));
                }
            }
            return buckets;
        });
    }

    static DatabaseEntry write(Bucket bucket) {
        return new DatabaseEntry(ByteBuffer.allocate(9).put(VERSION).putLong(bucket.created().toEpochMilli()).array());
    }

    static Bucket read(String name, DatabaseEntry data) {
        ByteBuffer record = ByteBuffer.wrap(data.getData(), data.getOffset(), data.getSize());
        if (data.getSize() != 9 || record.get() != VERSION) {
            throw new IllegalStateException("bucket record of unknown format (" + data.getSize() + " bytes) for " + name);
        }
        return new Bucket(name, Instant.ofEpochMilli(record.getLong()));
    }

    private static DatabaseEntry key(String name) {
        return new DatabaseEntry((PREFIX + name).getBytes(StandardCharsets.UTF_8));
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && java.util.Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }
}
