package io.tdkvs.master.group.control;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.sleepycat.je.rep.NodeState;
import com.sleepycat.je.rep.NodeType;
import com.sleepycat.je.rep.ReplicationNode;
import com.sleepycat.je.rep.util.ReplicationGroupAdmin;

import io.tdkvs.config.GroupConfig;

/**
 * Asks members of a group, on their replication ports, what they are: JE's node state (its role,
 * the leader it knows, how far its log goes). A member needs no leader to answer. A member that does
 * not answer within the timeout (down, or hung: JE's own timeout does not hold then) is absent from
 * the answer. The members are asked at the same time.
 */
final class GroupProbe {

    private final String group;
    private final ExecutorService executor;

    GroupProbe(String group, ExecutorService executor) {
        this.group = group;
        this.executor = executor;
    }

    /** What each member that answered said, by name, in the order given. */
    Map<String, NodeState> ask(List<GroupConfig.Member> members, Duration timeout) {
        Map<String, CompletableFuture<NodeState>> asked = new LinkedHashMap<>();
        for (GroupConfig.Member member : members) {
            asked.put(member.name(), askOne(member, timeout));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, NodeState> answers = new LinkedHashMap<>();
        asked.forEach((name, answer) -> {
            try {
                NodeState state = answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (state != null) {
                    answers.put(name, state);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                answer.cancel(true);
            }
        });
        return answers;
    }

    /** Whether a member's answer shows it holds a group's index: it has a log of replicated changes. */
    static boolean holdsIndex(NodeState state) {
        return state.getCurrentTxnEndVLSN() >= 0;
    }

    /** What one member says, asked on the executor; null if it does not answer. */
    CompletableFuture<NodeState> askOne(GroupConfig.Member member, Duration timeout) {
        return CompletableFuture.supplyAsync(() -> state(member, timeout), executor);
    }

    private NodeState state(GroupConfig.Member member, Duration timeout) {
        InetSocketAddress address = new InetSocketAddress(member.replication().host(), member.replication().port());
        try {
            return new ReplicationGroupAdmin(group, Set.of(address)).getNodeState(new Node(member.name(), address),
                    (int) timeout.toMillis());
        } catch (Exception e) {
            return null;
        }
    }

    /** A member as JE's admin API names one. */
    record Node(String getName, InetSocketAddress getSocketAddress) implements ReplicationNode {

        @Override
        public NodeType getType() {
            return NodeType.ELECTABLE;
        }

        @Override
        public String getHostName() {
            return getSocketAddress.getHostString();
        }

        @Override
        public int getPort() {
            return getSocketAddress.getPort();
        }
    }
}
