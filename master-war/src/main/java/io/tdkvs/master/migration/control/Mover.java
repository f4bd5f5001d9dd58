package io.tdkvs.master.migration.control;

import java.io.IOException;
import java.util.OptionalLong;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.tdkvs.master.errors.Reason;
import io.tdkvs.master.errors.StoreException;
import io.tdkvs.master.keys.entity.Key;
import io.tdkvs.master.keys.entity.MetaKey;
import io.tdkvs.master.meta.control.MetaStore;
import io.tdkvs.master.topology.entity.Volume;
import io.tdkvs.master.volumes.control.BlobStream;
import io.tdkvs.master.volumes.control.StoredBlob;
import io.tdkvs.master.volumes.control.VolumeClient;

/**
 * Moves one key's value between volumes: copy to the target and check size and CRC32C against the
 * metakey, commit the metakey to the target only if no write changed it meanwhile, then delete the
 * source. Never delete first: a failure or crash at any step leaves the key readable, with at worst
 * an orphan copy.
 */
@ApplicationScoped
public class Mover {

    private static final Logger LOG = Logger.getLogger(Mover.class.getName());

    @Inject
    VolumeClient volumes;

    @Inject
    MetaStore metaKeys;

    /** True if the key moved; false if a write or delete of the key raced the move and won. */
    public boolean move(Key key, MetaKey meta, Volume source, Volume target) {
        String blob = meta.blobName(key);
        StoredBlob copy = copy(key, blob, source, target);
        if (copy.size() != meta.size() || copy.crc32c() != meta.crc32c()) {
            volumes.delete(target.url(), blob);
            throw new StoreException(Reason.VOLUME_FAILED, "blob " + blob + " on " + source
                    + " does not match its recorded size and checksum; it was not moved");
        }
        if (!metaKeys.replaceIf(key, meta, meta.onVolume(target.id()))) {
            volumes.delete(target.url(), blob);
            return false;
        }
        try {
            volumes.delete(source.url(), blob);
        } catch (StoreException e) {
            LOG.warning(() -> "moved " + blob + " but could not remove it from " + source + "; left as an orphan: "
                    + e.getMessage());
        }
        return true;
    }

    private StoredBlob copy(Key key, String blob, Volume source, Volume target) {
        try (BlobStream value = volumes.get(source.url(), blob).orElseThrow(() -> new StoreException(
                Reason.VOLUME_FAILED, "volume " + source + " does not have blob " + blob + " of key " + key))) {
            return volumes.put(target.url(), blob, key, value.body(), OptionalLong.of(value.size()));
        } catch (StoreException e) {
            if (e.reason() == Reason.INCOMPLETE_BODY) {
                throw new StoreException(Reason.VOLUME_UNAVAILABLE, "volume " + source + " broke off sending blob "
                        + blob, e);
            }
            throw e;
        } catch (IOException e) {
            throw new StoreException(Reason.VOLUME_UNAVAILABLE, "volume " + source + " broke off sending blob " + blob, e);
        }
    }
}
