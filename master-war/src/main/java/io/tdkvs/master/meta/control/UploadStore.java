package io.tdkvs.master.meta.control;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.sleepycat.je.Cursor;
import com.sleepycat.je.CursorConfig;
import com.sleepycat.je.DatabaseEntry;
import com.sleepycat.je.LockMode;
import com.sleepycat.je.OperationStatus;

import io.tdkvs.master.s3.entity.Upload;

/**
 * The multipart uploads under way, in the index's cluster database: under {@code upload/<id>}, a record
 * of format version (1 byte, = 1), start time (8, milliseconds since the epoch), then as texts (each its
 * UTF-8 length, 2 bytes, and its bytes) the bucket, the key, the content type, the number of metadata
 * pairs (2 bytes) and each name and value.
 */
@ApplicationScoped
public class UploadStore {

    private static final String PREFIX = "upload/";
    private static final byte VERSION = 1;

    private Database database;

    protected UploadStore() {
        // for the CDI proxy
    }

    @Inject
    public UploadStore(Database database) {
        this.database = database;
    }

    public void create(Upload upload) {
        database.inTransaction(txn -> database.cluster().putNoOverwrite(txn, key(upload.id()), write(upload)));
    }

    public Optional<Upload> get(String id) {
        return database.call(() -> {
            DatabaseEntry data = new DatabaseEntry();
            if (database.cluster().get(null, key(id), data, LockMode.READ_COMMITTED) != OperationStatus.SUCCESS) {
                return Optional.empty();
            }
            return Optional.of(read(id, data));
        });
    }

    /** Forgets an upload; false if it was not there (completed or aborted meanwhile). */
    public boolean delete(String id) {
        return database.inTransaction(txn -> database.cluster().delete(txn, key(id)) == OperationStatus.SUCCESS);
    }

    /** Every upload under way, by id. */
    public List<Upload> all() {
        return database.call(() -> {
            List<Upload> uploads = new ArrayList<>();
            byte[] prefix = PREFIX.getBytes(StandardCharsets.UTF_8);
            try (Cursor cursor = database.cluster().openCursor(null, CursorConfig.READ_COMMITTED)) {
                DatabaseEntry key = new DatabaseEntry(prefix);
                DatabaseEntry data = new DatabaseEntry();
                for (OperationStatus status = cursor.getSearchKeyRange(key, data, null);
                     status == OperationStatus.SUCCESS && key.getData().length >= prefix.length
                             && Arrays.equals(key.getData(), 0, prefix.length, prefix, 0, prefix.length);
                     status = cursor.getNext(key, data, null)) {
                    uploads.add(read(new String(key.getData(), prefix.length, key.getData().length - prefix.length,
                            StandardCharsets.UTF_8), data));
                }
            }
            return uploads;
        });
    }

    static DatabaseEntry write(Upload upload) {
        List<byte[]> texts = List.of(Texts.utf8(upload.bucket()), Texts.utf8(upload.key()), Texts.utf8(upload.contentType()));
        List<byte[]> metadata = Texts.pairs(upload.metadata());
        ByteBuffer record = ByteBuffer.allocate(1 + 8 + Texts.size(texts) + 2 + Texts.size(metadata))
                .put(VERSION).putLong(upload.started().toEpochMilli());
        texts.forEach(text -> Texts.put(record, text));
        Texts.putPairs(record, metadata);
        return new DatabaseEntry(record.array());
    }

    static Upload read(String id, DatabaseEntry data) {
        try {
            ByteBuffer record = ByteBuffer.wrap(data.getData(), data.getOffset(), data.getSize());
            if (record.get() != VERSION) {
                throw new IllegalStateException("upload record of unknown version for " + id);
            }
            Instant started = Instant.ofEpochMilli(record.getLong());
            Upload upload = new Upload(id, Texts.read(record), Texts.read(record), started, Texts.read(record),
                    Texts.readPairs(record));
            if (record.hasRemaining()) {
                throw new IllegalStateException("upload record of another shape for " + id);
            }
            return upload;
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalStateException("upload record cut short for " + id);
        }
    }

    private static DatabaseEntry key(String id) {
        return new DatabaseEntry((PREFIX + id).getBytes(StandardCharsets.UTF_8));
    }
}
