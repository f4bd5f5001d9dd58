package io.tdkvs.volume.lifecycle;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.tdkvs.protocol.ClusterSignature;

/**
 * The signatures of the requests taken within the last {@link ClusterSignature#WINDOW} (older ones
 * are refused as stale anyway): a signature seen twice is a replay. Each costs a map entry for as long.
 */
@ApplicationScoped
public class Replays {

    /** Older signatures are refused as stale before this is asked: they need not be kept. */
    private static final long KEEP_MILLIS = ClusterSignature.WINDOW.toMillis() + 1000;
    private static final int PRUNE_EVERY = 4096;

    private final Map<String, Long> seen = new ConcurrentHashMap<>();
    private final AtomicLong taken = new AtomicLong();

    /** Whether this is the first request with this signature, made at {@code millis}. */
    public boolean firstUse(String signature, long millis) {
        if (taken.incrementAndGet() % PRUNE_EVERY == 0) {
            long before = System.currentTimeMillis() - KEEP_MILLIS;
            seen.values().removeIf(at -> at < before);
        }
        return seen.putIfAbsent(signature, millis) == null;
    }
}
