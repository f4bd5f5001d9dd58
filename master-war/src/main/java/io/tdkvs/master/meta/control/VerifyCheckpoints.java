package io.tdkvs.master.meta.control;

import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.sleepycat.je.DatabaseEntry;
import com.sleepycat.je.LockMode;
import com.sleepycat.je.OperationStatus;

import io.tdkvs.master.repair.entity.VerifyCheckpoint;

/** The checkpoint of the verify under way, if one is: one record, replaced as the verify goes on. */
@Singleton
public class VerifyCheckpoints {

    private static final byte[] KEY = Database.bytes("verify");

    private final Database database;

    @Inject
    public VerifyCheckpoints(Database database) {
        this.database = database;
    }

    public Optional<VerifyCheckpoint> load() {
        return database.call(() -> {
            DatabaseEntry data = new DatabaseEntry();
            if (database.cluster().get(null, new DatabaseEntry(KEY), data, LockMode.READ_COMMITTED) != OperationStatus.SUCCESS) {
                return Optional.empty();
            }
            return Optional.of(VerifyCheckpointFormat.read(data));
        });
    }

    public void save(VerifyCheckpoint checkpoint) {
        database.inTransaction(txn -> database.cluster().put(txn, new DatabaseEntry(KEY), VerifyCheckpointFormat.write(checkpoint)));
    }

    /** The verify ended: nothing is left to resume. */
    public void clear() {
        database.inTransaction(txn -> database.cluster().delete(txn, new DatabaseEntry(KEY)));
    }
}
