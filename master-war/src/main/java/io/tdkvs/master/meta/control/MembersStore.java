package io.tdkvs.master.meta.control;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.sleepycat.je.DatabaseEntry;
import com.sleepycat.je.LockMode;
import com.sleepycat.je.OperationStatus;

import io.tdkvs.config.GroupConfig;

/**
 * The changes of the group made through the admin API: the masters announced, with their addresses
 * (replicated, so that every member can reach a leader that its own config does not list), and the
 * masters removed (which configs may still list). One record, replaced whole.
 */
@Singleton
public class MembersStore {

    private static final byte[] KEY = Database.bytes("members");

    private final Database database;

    @Inject
    public MembersStore(Database database) {
        this.database = database;
    }

    /** The members announced, and the names of those removed. */
    public record Changes(List<GroupConfig.Member> announced, List<String> removed) {

        public static final Changes NONE = new Changes(List.of(), List.of());

        public Changes {
            announced = List.copyOf(announced);
            removed = List.copyOf(removed);
        }
    }

    public Changes load() {
        return database.call(() -> {
            DatabaseEntry data = new DatabaseEntry();
            if (database.cluster().get(null, new DatabaseEntry(KEY), data, LockMode.READ_COMMITTED) != OperationStatus.SUCCESS) {
                return Changes.NONE;
            }
            return MembersFormat.read(data);
        });
    }

    public void save(Changes changes) {
        database.inTransaction(txn -> database.cluster().put(txn, new DatabaseEntry(KEY), MembersFormat.write(changes)));
    }
}
