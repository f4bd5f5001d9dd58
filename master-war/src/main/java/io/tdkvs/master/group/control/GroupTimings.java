package io.tdkvs.master.group.control;

import java.time.Duration;
import java.util.Map;
import java.util.logging.Logger;

import com.sleepycat.je.rep.RepInternal;
import com.sleepycat.je.rep.ReplicatedEnvironment;
import com.sleepycat.je.rep.ReplicationConfig;

/**
 * JE High Availability's timing, set for a failover in seconds on a network like a data centre's (JE's
 * defaults take a minute). Measured with JE 18.3.12 on two shared cores, three members:
 * <ul>
 * <li>a member killed (its socket closes) is noticed about 1 s later, the election takes tens of ms;</li>
 * <li>a member that hangs (or is cut off) is noticed after the replica timeout, 2 s, and replaced after
 *     about 4 s; it learns it was replaced within about 0.1 s of hearing again from the group;</li>
 * <li>in about half of the elections after a kill, the surviving replica held back its acknowledgement
 *     of the new leader's first commit for 5 s: it had promised a competing proposal that lost, and
 *     JE 18.3.12 waits a fixed 5 s (its "commit freeze" latch) before it gives up on it. The latch
 *     is set to {@link #COMMIT_FREEZE} here, within the election timeouts, so the first commit of a new
 *     leader takes about 1 s, not 6.</li>
 * </ul>
 * The leader's {@link Leadership#LEASE} must stay below the replica timeout: a leader cut off from the
 * others stops answering before they can elect another.
 */
public final class GroupTimings {

    private static final Logger LOG = Logger.getLogger(GroupTimings.class.getName());

    /** A replica that hears nothing from its leader for this long calls an election. */
    static final Duration REPLICA_TIMEOUT = Duration.ofSeconds(2);
    /** How long an acknowledged commit lets the leader answer: well below {@link #REPLICA_TIMEOUT}. */
    static final Duration LEASE = Duration.ofMillis(1500);
    /** The leader commits a heartbeat this often while nothing else is written, to keep its lease. */
    static final Duration HEARTBEAT = Duration.ofMillis(400);
    /** How long the surviving replicas wait, at most, for a lost competing election before they follow the winner. */
    static final Duration COMMIT_FREEZE = Duration.ofMillis(1000);
    /** How long a leader waits for the acknowledgements of a commit before it answers "outcome unknown". */
    static final Duration ACK_TIMEOUT = Duration.ofSeconds(3);
    /** How long a write waits for enough members to be connected before it is refused. */
    static final Duration REPLICAS_TIMEOUT = Duration.ofSeconds(2);

    private static final Map<String, String> PARAMETERS = Map.of(
            ReplicationConfig.REPLICA_TIMEOUT, REPLICA_TIMEOUT.toMillis() + " ms",
            ReplicationConfig.FEEDER_TIMEOUT, "3 s",
            "je.rep.heartbeatInterval", "500",
            "je.rep.electionsOpenTimeout", "500 ms",
            "je.rep.electionsReadTimeout", "500 ms",
            ReplicationConfig.ELECTIONS_REBROADCAST_PERIOD, "1 s",
            "je.rep.feederManagerPollTimeout", "100 ms",
            ReplicationConfig.REPLICA_ACK_TIMEOUT, ACK_TIMEOUT.toMillis() + " ms",
            ReplicationConfig.INSUFFICIENT_REPLICAS_TIMEOUT, REPLICAS_TIMEOUT.toMillis() + " ms",
            ReplicationConfig.ENV_UNKNOWN_STATE_TIMEOUT, "3 s");

    private GroupTimings() {
    }

    static ReplicationConfig apply(ReplicationConfig config) {
        PARAMETERS.forEach(config::setConfigParam);
        return config;
    }

    /** Shortens the commit freeze of an opened environment; if JE's internals differ, the 5 s stay (logged). */
    static void tune(ReplicatedEnvironment environment) {
        try {
            RepInternal.getNonNullRepImpl(environment).getRepNode().getVLSNFreezeLatch().setTimeOut(COMMIT_FREEZE.toMillis());
        } catch (RuntimeException | LinkageError e) {
            LOG.warning(() -> "cannot shorten JE's commit freeze (" + e + "); a failover may take 5 s longer");
        }
    }
}
