package io.tdkvs.master.migration.control;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

import jakarta.inject.Singleton;

import io.tdkvs.protocol.BlobInfo;
import io.tdkvs.protocol.BlobName;

/**
 * The copies a copy step is putting on a volume whose metakeys do not name them yet. Between the
 * copy and the commit such a blob looks like an orphan; the {@link Sweeper} must not remove it.
 * A step announces its copies before it sends them and withdraws them once its commit is done
 * (or failed); the sweeper removes blobs only through {@link #removeOrphans}, which re-checks each
 * one while no step can announce. So a blob it removes was announced by no step in progress, and no
 * later step's copy can be sent before the removal is done.
 */
@Singleton
public class CopiesInFlight {

    private final Map<Integer, Map<BlobName, Integer>> arriving = new HashMap<>();

    /** Announces copies coming to volume {@code volume}; close the answer when the step committed or gave up. */
    public synchronized Arrival arriving(int volume, Collection<BlobName> names) {
        Map<BlobName, Integer> onVolume = arriving.computeIfAbsent(volume, id -> new HashMap<>());
        names.forEach(name -> onVolume.merge(name, 1, Integer::sum));
        return new Arrival(volume, List.copyOf(names));
    }

    private synchronized void arrived(Arrival arrival) {
        Map<BlobName, Integer> onVolume = arriving.get(arrival.volume);
        arrival.names.forEach(name -> onVolume.computeIfPresent(name, (key, count) -> count == 1 ? null : count - 1));
        if (onVolume.isEmpty()) {
            arriving.remove(arrival.volume);
        }
    }

    /**
     * Removes (through {@code remove}) the candidates that are not arriving and still {@code orphan}s,
     * checked while no step can announce a copy; answers what {@code remove} answers (how many it removed).
     */
    public synchronized int removeOrphans(int volume, List<BlobInfo> candidates, Predicate<BlobInfo> orphan,
                                          ToIntFunction<List<BlobName>> remove) {
        Map<BlobName, Integer> onVolume = arriving.getOrDefault(volume, Map.of());
        List<BlobName> orphans = new ArrayList<>();
        for (BlobInfo candidate : candidates) {
            if (!onVolume.containsKey(candidate.name()) && orphan.test(candidate)) {
                orphans.add(candidate.name());
            }
        }
        return orphans.isEmpty() ? 0 : remove.applyAsInt(orphans);
    }

    /** Copies announced by one step. */
    public final class Arrival implements AutoCloseable {

        private final int volume;
        private final List<BlobName> names;
        private boolean closed;

        private Arrival(int volume, List<BlobName> names) {
            this.volume = volume;
            this.names = names;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                arrived(this);
            }
        }
    }
}
