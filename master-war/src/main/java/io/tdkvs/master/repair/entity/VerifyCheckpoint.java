package io.tdkvs.master.repair.entity;

import java.util.List;
import java.util.Optional;

import io.tdkvs.master.keys.entity.Key;

/**
 * How far a verify got, kept in the index so that a master that takes over the group (or starts
 * again) goes on from there.
 *
 * @param volumes the ids of the volumes it compares with the index
 * @param started when it began (ISO-8601)
 * @param after   the last key it checked; empty before the first
 */
public record VerifyCheckpoint(List<Integer> volumes, String started, Optional<Key> after, long keys, long copies,
                               long missing, long damaged, long unrepairable) {

    public VerifyCheckpoint {
        volumes = List.copyOf(volumes);
    }
}
