package io.tdkvs.master.migration.control;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.tdkvs.master.errors.Reason;
import io.tdkvs.master.errors.StoreException;
import io.tdkvs.master.keys.entity.Key;
import io.tdkvs.master.keys.entity.MetaKey;
import io.tdkvs.master.meta.control.MetaStore;
import io.tdkvs.master.topology.entity.CopyStep;
import io.tdkvs.master.topology.entity.Volume;
import io.tdkvs.master.volumes.control.VolumeClient;
import io.tdkvs.protocol.BlobName;
import io.tdkvs.protocol.Imported;

/**
 * Carries out one {@link CopyStep} for a batch of keys that share its source, target and whether the
 * source's copy goes: the target takes in the blobs as the source streams them (one request to each)
 * and keeps them durably; each copy's size and CRC32C are checked against its metakey; the metakeys
 * get their new holders in one transaction, each only if no write changed it meanwhile; then the
 * source's copies that must go are deleted. Never delete first: a failure or a crash at any step
 * leaves every key readable, with at worst orphan copies. A source that lacks a copy its metakey
 * names, while other holders have one, is dropped from the holders; the next step copies from them.
 */
@ApplicationScoped
public class Mover {

    private static final Logger LOG = Logger.getLogger(Mover.class.getName());

    @Inject
    VolumeClient volumes;

    @Inject
    MetaStore metaKeys;

    @Inject
    CopiesInFlight inFlight;

    /** A key, its metakey when the step was planned, and its holders after the step. */
    public record Change(MetaStore.Entry entry, List<Integer> holders) {
    }

    /**
     * What a batch achieved.
     *
     * @param moved   keys whose step was made
     * @param cleaned completes when the moved blobs are gone from the source and unneeded copies from
     *                the target: true, or false if some were left behind
     */
    public record Outcome(int moved, int raced, List<Problem> problems, CompletableFuture<Boolean> cleaned) {
    }

    /** A key whose step cannot be made, whatever is tried: its only copy is missing or damaged. */
    public record Problem(Key key, String message) {
    }

    /**
     * Makes a step for a batch of keys; the clean-up runs on {@code cleanup}, so the next batch can begin.
     *
     * @param target       the volume that gets a copy of each, if any
     * @param removeSource whether the source's copies go once the index no longer names them
     * @throws StoreException if a volume cannot be reached or fails the transfer: nothing changed
     */
    public Outcome move(List<Change> batch, Volume source, Optional<Volume> target, boolean removeSource, Executor cleanup) {
        List<BlobName> names = batch.stream().map(change -> change.entry().meta().blobName(change.entry().key())).toList();
        if (target.isEmpty()) {
            return move(batch, names, source, target, removeSource, cleanup);
        }
        try (CopiesInFlight.Arrival arrival = inFlight.arriving(target.get().id(), names)) {
            return move(batch, names, source, target, removeSource, cleanup);
        }
    }

    private Outcome move(List<Change> batch, List<BlobName> names, Volume source, Optional<Volume> target, boolean removeSource,
                         Executor cleanup) {
        Map<BlobName, Imported> copies = target.isEmpty() ? Map.of() : copy(names, source, target.get()).stream()
                .collect(Collectors.toMap(Imported::name, Function.identity(), (a, b) -> b));
        List<MetaStore.Swap> swaps = new ArrayList<>();
        List<BlobName> swapNames = new ArrayList<>();
        List<BlobName> discard = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        int raced = 0;
        for (int i = 0; i < batch.size(); i++) {
            MetaStore.Entry entry = batch.get(i).entry();
            MetaKey next = entry.meta().heldBy(batch.get(i).holders());
            BlobName name = names.get(i);
            Optional<Imported> copy = target.isEmpty() ? Optional.empty() : Optional.ofNullable(copies.get(name)).filter(Imported::present);
            if (target.isPresent() && copy.isEmpty()) {
                if (metaKeys.get(entry.key()).filter(entry.meta()::equals).isEmpty()) {
                    raced++;
                } else if (entry.meta().holders().size() > 1) {
                    LOG.warning(() -> "volume " + source + " lost its copy of key " + entry.key() + " (blob " + name
                            + "); the key is copied from its other holders");
                    swaps.add(new MetaStore.Swap(entry.key(), entry.meta(), entry.meta().without(source.id())));
                    swapNames.add(null);
                } else {
                    problems.add(new Problem(entry.key(), "volume " + source + " does not have blob " + name + " of key "
                            + entry.key() + ", its only copy"));
                }
            } else if (copy.isPresent() && (copy.get().size() != entry.meta().size() || copy.get().crc32c() != entry.meta().crc32c())) {
                discard.add(name);
                if (entry.meta().holders().size() > 1) {
                    // another holder has a good copy: the source's goes, and the next step copies from it
                    LOG.warning(() -> "the copy of key " + entry.key() + " on " + source + " is damaged; it is copied from its other holders");
                    swaps.add(new MetaStore.Swap(entry.key(), entry.meta(), entry.meta().without(source.id())));
                    swapNames.add(null);
                } else {
                    problems.add(new Problem(entry.key(), "blob " + name + " of key " + entry.key() + " on " + source
                            + " does not match its recorded size and checksum, and it is its only copy; it was not copied"));
                }
            } else {
                swaps.add(new MetaStore.Swap(entry.key(), entry.meta(), next));
                swapNames.add(name);
            }
        }
        boolean[] switched = metaKeys.replaceAllIf(swaps);
        List<BlobName> moved = new ArrayList<>();
        int made = 0;
        for (int i = 0; i < swaps.size(); i++) {
            BlobName name = swapNames.get(i);
            if (name == null) {
                made += switched[i] ? 1 : 0;
                continue;
            }
            if (switched[i]) {
                made++;
                if (removeSource) {
                    moved.add(name);
                }
            } else {
                raced++;
                if (target.isPresent() && !stillHeld(swaps.get(i).key(), swaps.get(i).expected().generation(), target.get())) {
                    discard.add(name);
                }
            }
        }
        CompletableFuture<Boolean> cleaned = CompletableFuture.supplyAsync(() ->
                target.map(volume -> deleteQuietly(volume, discard, "copies that were not needed")).orElse(true)
                        & deleteQuietly(source, moved, "copies that moved or are not needed"), cleanup);
        return new Outcome(made, raced, problems, cleaned);
    }

    /**
     * Whether another step made {@code volume} a holder of the same value meanwhile: then the copy just
     * made there is the one the index names, and stays. A value written since is another blob.
     */
    private boolean stillHeld(Key key, long generation, Volume volume) {
        return metaKeys.get(key).filter(meta -> meta.generation() == generation && meta.heldBy(volume.id())).isPresent();
    }

    private List<Imported> copy(List<BlobName> names, Volume source, Volume target) {
        try (InputStream frames = volumes.export(source.url(), names)) {
            return volumes.importFrames(target.url(), source.url(), frames);
        } catch (IOException e) {
            throw new StoreException(Reason.VOLUME_UNAVAILABLE, "volume " + source + " broke off sending blobs", e);
        }
    }

    private boolean deleteQuietly(Volume volume, List<BlobName> names, String what) {
        try {
            volumes.deleteAll(volume.url(), names);
            return true;
        } catch (StoreException e) {
            LOG.warning(() -> "could not remove " + names.size() + " " + what + " from " + volume
                    + "; they are left until the end of the migration: " + e.getMessage());
            return false;
        }
    }
}
