package io.tdkvs.master.topology.entity;

import io.tdkvs.config.VolumeUrl;

/**
 * A volume of the cluster. Its {@code id} is permanent and never reused (metakeys refer to it); its
 * {@code bucket} is its place in the placement hash.
 */
public record Volume(int id, VolumeUrl url, int bucket, VolumeState state) {

    public boolean active() {
        return state == VolumeState.ACTIVE;
    }

    Volume draining() {
        return new Volume(id, url, bucket, VolumeState.DRAINING);
    }

    @Override
    public String toString() {
        return url.toString();
    }
}
