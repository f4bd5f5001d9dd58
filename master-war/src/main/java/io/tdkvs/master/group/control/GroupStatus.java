package io.tdkvs.master.group.control;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.sleepycat.je.rep.NodeState;
import com.sleepycat.je.rep.ReplicatedEnvironment;
import com.sleepycat.je.rep.ReplicationNode;

import io.tdkvs.config.GroupConfig;
import io.tdkvs.config.MasterConfig;
import io.tdkvs.master.group.entity.GroupView;
import io.tdkvs.master.group.entity.MemberView;
import io.tdkvs.master.meta.control.MembersStore;

/**
 * What every member of the group is doing, asked every {@value #PERIOD_MILLIS} ms on the replication
 * ports (a member need not lead to answer): its role, whether it answers, and how far it is behind the
 * leader's log. Every master keeps its own view, so its status shows the group while there is no leader.
 * It also keeps {@link Leadership} up to date with the members added since the config was written; members
 * removed since are left out.
 */
@Singleton
public class GroupStatus {

    static final long PERIOD_MILLIS = 2000;
    private static final Logger LOG = Logger.getLogger(GroupStatus.class.getName());
    private static final Duration ANSWER = Duration.ofMillis(1500);

    @Inject
    MasterConfig config;

    @Inject
    Leadership leadership;

    @Inject
    GroupIndex groupIndex;

    @Inject
    MembersStore added;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private final Map<String, CompletableFuture<NodeState>> asking = new ConcurrentHashMap<>();
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private volatile List<GroupConfig.Member> members = List.of();
    private volatile Set<String> joined = Set.of();
    private ScheduledFuture<?> task;

    /** A member's last answer (null state: it did not answer) and when it was asked. */
    private record Answer(NodeState state, long askedNanos) {
    }

    public synchronized void start() {
        if (task == null && config.group().isPresent()) {
            members = config.group().get().members();
            task = scheduler.scheduleWithFixedDelay(this::refresh, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Reads the members again now (after a change of them), rather than at the next period. */
    public void refreshMembers() {
        groupIndex.environment().ifPresent(this::readMembers);
    }

    private void refresh() {
        try {
            Optional<ReplicatedEnvironment> environment = groupIndex.environment();
            environment.ifPresent(this::readMembers);
            GroupProbe probe = groupIndex.probe();
            long now = System.nanoTime();
            for (GroupConfig.Member member : members) {
                CompletableFuture<NodeState> pending = asking.get(member.name());
                if (pending != null && !pending.isDone()) {
                    Answer last = answers.get(member.name());
                    if (last == null || now - last.askedNanos() > ANSWER.toNanos()) {
                        answers.put(member.name(), new Answer(null, now)); // hung: it does not answer
                    }
                    continue;
                }
                CompletableFuture<NodeState> asked = probe.askOne(member, ANSWER);
                asking.put(member.name(), asked);
                asked.thenAccept(state -> answers.put(member.name(), new Answer(state, now)));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "could not ask the members", e);
        }
    }

    /** The members the config lists, those added since, and JE's own list of who joined. */
    private void readMembers(ReplicatedEnvironment environment) {
        try {
            MembersStore.Changes changes = added.load();
            leadership.knownMembers(changes.announced());
            Map<String, GroupConfig.Member> all = new LinkedHashMap<>();
            config.group().orElseThrow().members().forEach(member -> all.put(member.name(), member));
            changes.announced().forEach(member -> all.putIfAbsent(member.name(), member));
            changes.removed().forEach(all::remove);
            members = List.copyOf(all.values());
            joined = environment.getGroup().getElectableNodes().stream().map(ReplicationNode::getName).collect(Collectors.toSet());
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "could not read the group's members", e);
        }
    }

    /** The group as this master sees it now. */
    public Optional<GroupView> view() {
        if (config.group().isEmpty()) {
            return Optional.empty();
        }
        GroupConfig group = config.group().get();
        Leadership.View mine = leadership.view();
        Optional<String> leader = mine.leading() || mine.role() == io.tdkvs.master.group.entity.Role.TAKING_OVER
                ? Optional.of(group.self().name()) : mine.leaderName();
        long leaderEnd = leader.map(answers::get).map(Answer::state).map(NodeState::getCurrentTxnEndVLSN).orElse(-1L);
        List<MemberView> views = new ArrayList<>();
        for (GroupConfig.Member member : members) {
            Answer answer = answers.get(member.name());
            NodeState state = answer == null ? null : answer.state();
            String role = state == null ? "unknown" : switch (state.getNodeState()) {
                case MASTER -> "leader";
                case REPLICA -> "follower";
                case UNKNOWN -> "electing";
                case DETACHED -> "offline";
            };
            Long lag = null;
            if (state != null && state.getCurrentTxnEndVLSN() >= 0) {
                long end = leaderEnd >= 0 ? leaderEnd : state.getKnownMasterTxnEndVLSN();
                lag = role.equals("leader") ? 0L : end >= 0 ? Math.max(0, end - state.getCurrentTxnEndVLSN()) : null;
            }
            views.add(new MemberView(member.name(), member.url().toString(), role, state != null, lag,
                    joined.isEmpty() || joined.contains(member.name())));
        }
        return Optional.of(new GroupView(group.name(), group.self().name(), mine.role().label(), leader.orElse(null), views));
    }

    /** A member's view by name (for the metrics). */
    public Optional<MemberView> member(String name) {
        return view().flatMap(group -> group.members().stream().filter(member -> member.name().equals(name)).findFirst());
    }

    @PreDestroy
    synchronized void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
