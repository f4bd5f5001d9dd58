package io.tdkvs.master.metrics.control;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

import io.tdkvs.master.errors.StoreException;
import io.tdkvs.master.keys.control.ValueCache;
import io.tdkvs.master.keys.control.ValueStore;
import io.tdkvs.master.meta.control.MetaStore;
import io.tdkvs.master.migration.control.Migrator;
import io.tdkvs.master.migration.entity.MigrationStatus;

/**
 * The store's own figures in {@code GET /metrics} (MicroProfile Metrics, application scope):
 * <pre>
 * tdkvs_requests_seconds{operation, status}  a timer: how many client requests (_count), how long they took
 * tdkvs_value_bytes_total{direction}  value bytes received ("in", stored) and sent ("out")
 * tdkvs_keys                          keys in the index
 * tdkvs_migration_moved, _total, _keys_per_second, _running
 * tdkvs_value_cache_hits, _misses, _bytes, _entries, _capacity_bytes   the cache of small values ({@link ValueCache})
 * tdkvs_reads_continued               reads whose volume broke off mid-value and that went on from another copy
 * tdkvs_joins_in_place, _streamed     multipart objects the volumes joined from the parts they hold, and those whose
 *                                     parts went through the master instead
 * </pre>
 * The volumes' figures come from {@link VolumeGauges}; the last 15 minutes, interval by interval, from {@link RequestHistory}.
 */
@Singleton
public class StoreMetrics {

    @Inject
    MetricRegistry registry;

    @Inject
    MetaStore metaKeys;

    @Inject
    Migrator migrator;

    @Inject
    ValueCache cache;

    @Inject
    ValueStore values;

    @Inject
    RequestHistory history;

    private final Map<String, Timer> requests = new ConcurrentHashMap<>();
    private Counter bytesIn;
    private Counter bytesOut;

    void register(@Observes Startup startup) {
        Metadata bytes = Metadata.builder().withName("tdkvs_value").withUnit(MetricUnits.BYTES)
                .withDescription("value bytes received from clients and stored (in), and sent to clients (out)").build();
        bytesIn = registry.counter(bytes, new Tag("direction", "in"));
        bytesOut = registry.counter(bytes, new Tag("direction", "out"));
        gauge("tdkvs_keys", "keys in the index; -1 while the index is closed", this::keys);
        gauge("tdkvs_migration_moved", "keys the current (or last) migration moved", () -> migration().moved());
        gauge("tdkvs_migration_total", "keys the current (or last) migration has to move", () -> migration().total());
        gauge("tdkvs_migration_keys_per_second", "the current (or last) migration's average rate",
                () -> migration().keysPerSecond());
        gauge("tdkvs_migration_running", "1 while a migration runs (or waits for a volume), else 0",
                () -> migrator.running() ? 1 : 0);
        gauge("tdkvs_value_cache_hits", "reads answered from the master's cache of small values since it started",
                () -> cache.figures().hits());
        gauge("tdkvs_value_cache_misses", "reads of small values the cache did not hold since the master started",
                () -> cache.figures().misses());
        gauge("tdkvs_value_cache_bytes", "memory the cached values take now, overheads included", () -> cache.figures().bytes());
        gauge("tdkvs_value_cache_entries", "values in the cache now", () -> cache.figures().entries());
        gauge("tdkvs_value_cache_capacity_bytes", "the most memory the cache may take (0: off)", () -> cache.figures().capacity());
        gauge("tdkvs_reads_continued", "reads whose volume broke off mid-value (it stopped answering, or ended its answer early)"
                + " and that went on from another copy, since the master started", values::readsContinued);
        gauge("tdkvs_joins_in_place", "values made of parts (completed multipart uploads) that the volumes holding the parts"
                + " joined, since the master started", values::joinedInPlace);
        gauge("tdkvs_joins_streamed", "values made of parts whose bytes went through the master, because the parts were not"
                + " all on the value's volumes or a volume could not join them, since the master started", values::joinedByStreaming);
    }

    /** One client request: its operation (put, get, head, delete, list; s3-get, s3-put, ... for S3), its status and how long it took. */
    public void request(String operation, int status, long nanos) {
        requests.computeIfAbsent(operation + " " + status, id -> registry.timer(Metadata.builder().withName("tdkvs_requests")
                        .withDescription("client requests by operation and status, and how long they took")
                        .withUnit(MetricUnits.NANOSECONDS).build(),
                new Tag("operation", operation), new Tag("status", Integer.toString(status))))
                .update(Duration.ofNanos(nanos));
        history.request(operation, status, nanos);
    }

    public void valueIn(long bytes) {
        bytesIn.inc(bytes);
        history.valueIn(bytes);
    }

    public void valueOut(long bytes) {
        bytesOut.inc(bytes);
        history.valueOut(bytes);
    }

    private long keys() {
        try {
            return metaKeys.count();
        } catch (StoreException e) {
            return -1;
        }
    }

    private MigrationStatus migration() {
        return migrator.status();
    }

    private <T extends Number> void gauge(String name, String description, Supplier<T> value) {
        registry.gauge(Metadata.builder().withName(name).withDescription(description).build(), value);
    }
}
