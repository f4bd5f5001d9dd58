package io.tdkvs.master.meta.control;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.sleepycat.je.DatabaseEntry;
import com.sleepycat.je.LockMode;
import com.sleepycat.je.OperationStatus;

import io.tdkvs.master.topology.entity.Topology;

/** The recorded topology: one record, replaced whole. */
@ApplicationScoped
public class TopologyStore {

    private static final byte[] KEY = Database.bytes("topology");

    private Database database;

    protected TopologyStore() {
        // for the CDI proxy
    }

    @Inject
    public TopologyStore(Database database) {
        this.database = database;
    }

    public Optional<Topology> load() {
        return database.call(() -> {
            DatabaseEntry data = new DatabaseEntry();
            if (database.cluster().get(null, new DatabaseEntry(KEY), data, LockMode.READ_COMMITTED) != OperationStatus.SUCCESS) {
                return Optional.empty();
            }
            return Optional.of(TopologyFormat.read(data));
        });
    }

    public void save(Topology topology) {
        database.inTransaction(txn -> database.cluster().put(txn, new DatabaseEntry(KEY), TopologyFormat.write(topology)));
    }
}
