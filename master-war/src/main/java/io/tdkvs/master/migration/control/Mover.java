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
import io.tdkvs.master.meta.control.MetaStore;
import io.tdkvs.master.topology.entity.Volume;
import io.tdkvs.master.volumes.control.VolumeClient;
import io.tdkvs.protocol.BlobName;
import io.tdkvs.protocol.Imported;

/**
 * Moves a batch of keys from one volume to another: the target takes in the blobs as the source
 * streams them (one request to each) and keeps them durably; each copy's size and CRC32C are
 * checked against its metakey; the metakeys are switched to the target in one transaction, each
 * only if no write changed it meanwhile; then the sources are deleted. Never delete first: a failure
 * or a crash at any step leaves every key readable, with at worst orphan copies.
 */
@ApplicationScoped
public class Mover {

    private static final Logger LOG = Logger.getLogger(Mover.class.getName());

    @Inject
    VolumeClient volumes;

    @Inject
    MetaStore metaKeys;

    /**
     * What a batch achieved.
     *
     * @param cleaned completes when the moved blobs are gone from the source and unneeded copies from
     *                the target: true, or false if some were left behind
     */
    public record Outcome(int moved, int raced, List<String> problems, CompletableFuture<Boolean> cleaned) {
    }

    /**
     * Moves a batch; the clean-up of the source runs on {@code cleanup}, so the next batch can begin.
     *
     * @throws StoreException if a volume cannot be reached or fails the transfer: nothing moved
     */
    public Outcome move(List<MetaStore.Entry> batch, Volume source, Volume target, Executor cleanup) {
        List<BlobName> names = batch.stream().map(entry -> entry.meta().blobName(entry.key())).toList();
        Map<BlobName, Imported> copies = copy(names, source, target).stream()
                .collect(Collectors.toMap(Imported::name, Function.identity(), (a, b) -> b));
        List<MetaStore.Swap> swaps = new ArrayList<>();
        List<BlobName> swapNames = new ArrayList<>();
        List<BlobName> discard = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int raced = 0;
        for (int i = 0; i < batch.size(); i++) {
            MetaStore.Entry entry = batch.get(i);
            BlobName name = names.get(i);
            Optional<Imported> copy = Optional.ofNullable(copies.get(name)).filter(Imported::present);
            if (copy.isEmpty()) {
                if (metaKeys.get(entry.key()).filter(entry.meta()::equals).isPresent()) {
                    problems.add("volume " + source + " does not have blob " + name + " of key " + entry.key());
                } else {
                    raced++;
                }
            } else if (copy.get().size() != entry.meta().size() || copy.get().crc32c() != entry.meta().crc32c()) {
                discard.add(name);
                problems.add("blob " + name + " on " + source + " does not match its recorded size and checksum; it was not moved");
            } else {
                swaps.add(new MetaStore.Swap(entry.key(), entry.meta(), entry.meta().onVolume(target.id())));
                swapNames.add(name);
            }
        }
        boolean[] switched = metaKeys.replaceAllIf(swaps);
        List<BlobName> moved = new ArrayList<>();
        for (int i = 0; i < swaps.size(); i++) {
            BlobName name = swapNames.get(i);
            if (switched[i]) {
                moved.add(name);
            } else {
                discard.add(name);
                raced++;
            }
        }
        CompletableFuture<Boolean> cleaned = CompletableFuture.supplyAsync(() ->
                deleteQuietly(target, discard, "copies that were not needed") & deleteQuietly(source, moved, "moved blobs"), cleanup);
        return new Outcome(moved.size(), raced, problems, cleaned);
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
