package io.tdkvs.master.keys.control;

import java.util.Optional;
import java.util.logging.Logger;
import java.util.zip.CRC32C;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.tdkvs.config.MasterConfig;
import io.tdkvs.master.keys.entity.Key;
import io.tdkvs.master.keys.entity.MetaKey;
import io.tdkvs.master.volumes.control.VolumeHttp;

/**
 * Small values kept in the master's memory, so that a read of a hot value costs no call to a volume. An entry is
 * the value of one key at one generation, and is found only through the key's current metakey: a write gives the
 * key a new generation and a delete removes its metakey, so an entry can never answer for a value that was
 * replaced or deleted; it just stops being asked for, and goes. Values of at most {@link #LARGEST} bytes are kept,
 * once their CRC32C matches their metakey's, within a bound in bytes ({@code valueCache} in the config; by default
 * a sixteenth of the heap; 0 turns the cache off), evicting by Caffeine's W-TinyLFU.
 */
@Singleton
public class ValueCache {

    private static final Logger LOG = Logger.getLogger(ValueCache.class.getName());

    /** The largest value kept: as large as a value the master reads whole on its way to a volume. */
    public static final int LARGEST = VolumeHttp.CHUNK;

    /**
     * Memory an entry takes besides its value's bytes and its key's text (held twice: as a string and as UTF-8):
     * the entry, the key object with its SHA-256, the arrays' headers, the cache's node.
     */
    private static final int OVERHEAD = 200;

    private final long capacity;
    private final Cache<Entry, byte[]> cache;

    @Inject
    public ValueCache(MasterConfig config) {
        this(capacity(config, Runtime.getRuntime().maxMemory()));
    }

    /** The configured size, or a sixteenth of the heap; at most half of it (said in the log). */
    static long capacity(MasterConfig config, long heap) {
        long wanted = config.valueCache().orElse(heap / 16);
        if (wanted > heap / 2) {
            LOG.warning(() -> "valueCache: " + wanted + " bytes is more than half the heap (" + heap + " bytes); keeping at most "
                    + heap / 2 + ". Give the master a larger heap (-Xmx) or a smaller valueCache");
            return heap / 2;
        }
        return wanted;
    }

    /** A cache of at most {@code capacity} bytes; 0 keeps nothing. */
    ValueCache(long capacity) {
        this.capacity = capacity;
        this.cache = capacity == 0 ? null : Caffeine.newBuilder()
                .maximumWeight(capacity)
                .weigher((Entry entry, byte[] value) -> value.length + 2 * entry.key().value().length() + OVERHEAD)
                .executor(Runnable::run) // evicts on the writing thread: no task of the application server's common pool
                .recordStats()
                .build();
    }

    /** Whether the value a metakey names is one the cache keeps (so a read of it may be answered or kept here). */
    public boolean keeps(MetaKey meta) {
        return cache != null && meta.size() <= LARGEST;
    }

    /** The value of {@code key} at the metakey's generation, if it is kept; a miss is counted only for one it keeps. */
    public Optional<byte[]> get(Key key, MetaKey meta) {
        if (!keeps(meta)) {
            return Optional.empty();
        }
        return Optional.ofNullable(cache.getIfPresent(new Entry(key, meta.generation())));
    }

    /**
     * Keeps the value of {@code key} at the metakey's generation, if it is one the cache keeps and its bytes are
     * the ones the metakey describes; answers whether they are.
     */
    public boolean put(Key key, MetaKey meta, byte[] value) {
        if (value.length != meta.size() || crc32c(value) != meta.crc32c()) {
            return false;
        }
        if (keeps(meta)) {
            cache.put(new Entry(key, meta.generation()), value);
        }
        return true;
    }

    /**
     * Forgets the value of {@code key} at the metakey's generation: a write replaced it or a delete removed it. (It
     * could not be found again anyway; this gives its room back at once instead of when it is evicted.)
     */
    public void forget(Key key, MetaKey meta) {
        if (keeps(meta)) {
            cache.invalidate(new Entry(key, meta.generation()));
        }
    }

    /** What the cache holds and how often it answered. */
    public Figures figures() {
        if (cache == null) {
            return new Figures(0, 0, 0, 0, 0);
        }
        cache.cleanUp();
        var stats = cache.stats();
        long bytes = cache.policy().eviction().map(eviction -> eviction.weightedSize().orElse(0)).orElse(0L);
        return new Figures(capacity, bytes, cache.estimatedSize(), stats.hitCount(), stats.missCount());
    }

    static int crc32c(byte[] value) {
        CRC32C crc = new CRC32C();
        crc.update(value);
        return (int) crc.getValue();
    }

    private record Entry(Key key, long generation) {
    }

    /**
     * @param capacity the most bytes kept (0: off)
     * @param bytes    the bytes kept now, overheads included
     * @param entries  values kept now
     * @param hits     reads answered from the cache since the start
     * @param misses   reads of values the cache keeps that it did not hold
     */
    public record Figures(long capacity, long bytes, long entries, long hits, long misses) {
    }
}
