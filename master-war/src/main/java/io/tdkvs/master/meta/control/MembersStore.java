package io.tdkvs.master.meta.control;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.sleepycat.je.DatabaseEntry;
import com.sleepycat.je.LockMode;
import com.sleepycat.je.OperationStatus;

import io.tdkvs.config.GroupConfig;

/**
 * The masters added to the group through the admin API, with their addresses: replicated, so that
 * every member can reach a leader that its own config does not list. One record, replaced whole.
 */
@Singleton
public class MembersStore {

    private static final byte[] KEY = Database.bytes("members");

    private final Database database;

    @Inject
    public MembersStore(Database database) {
        this.database = database;
    }

    public List<GroupConfig.Member> load() {
        return database.call(() -> {
            DatabaseEntry data = new DatabaseEntry();
            if (database.cluster().get(null, new DatabaseEntry(KEY), data, LockMode.READ_COMMITTED) != OperationStatus.SUCCESS) {
                return List.of();
            }
            return MembersFormat.read(data);
        });
    }

    public void save(List<GroupConfig.Member> members) {
        database.inTransaction(txn -> database.cluster().put(txn, new DatabaseEntry(KEY), MembersFormat.write(members)));
    }
}
