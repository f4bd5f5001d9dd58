package io.tdkvs.master.topology.entity;

/** A volume's part in placement. */
public enum VolumeState {
    /** receives the keys that place on it */
    ACTIVE,
    /** being deleted: receives nothing, its keys move to the others */
    DRAINING
}
