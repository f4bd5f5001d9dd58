package io.tdkvs.master.topology.entity;

import java.util.List;
import java.util.OptionalInt;

/**
 * One change that brings a key's copies closer to where placement puts them.
 *
 * @param source       the volume a copy is read from, or that drops its copy
 * @param target       the volume that gets a new copy, if any
 * @param removeSource whether the source's copy goes once the index no longer names it
 * @param holders      the key's holders afterwards, placement order first
 */
public record CopyStep(int source, OptionalInt target, boolean removeSource, List<Integer> holders) {

    public CopyStep {
        holders = List.copyOf(holders);
    }
}
