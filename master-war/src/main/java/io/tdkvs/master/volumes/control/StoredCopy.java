package io.tdkvs.master.volumes.control;

import java.util.Optional;

import io.tdkvs.config.VolumeUrl;
import io.tdkvs.master.errors.StoreException;
import io.tdkvs.protocol.BlobInfo;

/** What one volume did with its copy of a value: stored it, or failed, and why. */
public record StoredCopy(VolumeUrl volume, Optional<BlobInfo> stored, Optional<StoreException> failure) {

    static StoredCopy stored(VolumeUrl volume, BlobInfo blob) {
        return new StoredCopy(volume, Optional.of(blob), Optional.empty());
    }

    static StoredCopy failed(VolumeUrl volume, StoreException why) {
        return new StoredCopy(volume, Optional.empty(), Optional.of(why));
    }
}
