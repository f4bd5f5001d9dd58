package io.tdkvs.master.keys.control;

import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tdkvs.master.meta.control.MetaStore;

/**
 * The generations of the values being written now. A blob no metakey points at is garbage only if
 * no write can still commit it: that holds for every generation below {@link #oldestUnfinished()}.
 */
@Singleton
public class WritesInFlight {

    private final NavigableSet<Long> generations = new ConcurrentSkipListSet<>();

    @Inject
    MetaStore metaKeys;

    /** A new generation for a write that begins; {@link #end} it when it has committed or failed. */
    public synchronized long begin() {
        long generation = metaKeys.nextGeneration();
        generations.add(generation);
        return generation;
    }

    public void end(long generation) {
        generations.remove(generation);
    }

    /** Every write of a generation below this has ended; later writes get higher generations. */
    public synchronized long oldestUnfinished() {
        long next = metaKeys.nextGeneration();
        return generations.isEmpty() ? next : Math.min(next, generations.first());
    }
}
