package io.tdkvs.master.group.control;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.sleepycat.je.rep.MasterStateException;
import com.sleepycat.je.rep.MemberNotFoundException;
import com.sleepycat.je.rep.ReplicatedEnvironment;
import com.sleepycat.je.rep.ReplicationNode;
import com.sleepycat.je.rep.util.ReplicationGroupAdmin;

import io.tdkvs.config.GroupConfig;
import io.tdkvs.config.MasterConfig;
import io.tdkvs.master.errors.Reason;
import io.tdkvs.master.errors.StoreException;
import io.tdkvs.master.meta.control.MembersStore;

/**
 * Changes of the group's members, made by the leader. A new member is announced with its addresses
 * (kept in the index, so that every member can reach it once it leads); it joins when it starts with a
 * config that lists the group, and copies the index from the others. A member that is gone for good
 * is removed from JE's group: the majority then counts without it, and JE never lets it rejoin under
 * that name (its replacement takes a new one).
 */
@Singleton
public class Membership {

    private static final Logger LOG = Logger.getLogger(Membership.class.getName());
    /** Fewer than this many members would leave a group that stops with any one of them. */
    private static final int FEWEST = 2;

    @Inject
    MasterConfig config;

    @Inject
    GroupIndex groupIndex;

    @Inject
    MembersStore added;

    @Inject
    Leadership leadership;

    /** Announces a new member; it joins at its first start. */
    public synchronized void add(GroupConfig.Member member) {
        GroupConfig group = group();
        ReplicatedEnvironment environment = leaderEnvironment();
        List<GroupConfig.Member> known = new ArrayList<>(group.members());
        MembersStore.Changes changes = added.load();
        List<GroupConfig.Member> since = changes.announced();
        since.stream().filter(m -> !known.contains(m)).forEach(known::add);
        Set<String> joined = names(environment);
        for (GroupConfig.Member other : known) {
            if (other.name().equals(member.name()) || joined.contains(member.name())) {
                throw new StoreException(Reason.MEMBER_REFUSED, "group " + group.name() + " already has a member named "
                        + member.name() + "; a new member needs a name of its own");
            }
            if (other.url().equals(member.url()) || other.replication().equals(member.replication())) {
                throw new StoreException(Reason.MEMBER_REFUSED, "member " + other.name() + " already has the url or the "
                        + "replication address of " + member.name());
            }
        }
        List<GroupConfig.Member> next = new ArrayList<>(since);
        next.add(member);
        added.save(new MembersStore.Changes(next, changes.removed()));
        leadership.knownMembers(next);
        LOG.info(() -> "member " + member + " replicating at " + member.replication() + " announced (admin API); it joins "
                + "group " + group.name() + " when it starts");
    }

    /** Removes a member that is gone for good from JE's group (and from the announced ones). */
    public synchronized void remove(String name) {
        GroupConfig group = group();
        ReplicatedEnvironment environment = leaderEnvironment();
        if (name.equals(group.self().name())) {
            throw new StoreException(Reason.MEMBER_REFUSED, "member " + name + " leads the group and cannot remove itself: stop "
                    + "it (it hands the leadership over), then ask the new leader");
        }
        Set<String> joined = names(environment);
        if (!joined.contains(name)) {
            throw new StoreException(Reason.NO_SUCH_MEMBER, "group " + group.name() + " has no member " + name + "; its members "
                    + "are " + joined);
        }
        if (joined.size() - 1 < FEWEST) {
            throw new StoreException(Reason.MEMBER_REFUSED, "removing " + name + " would leave " + (joined.size() - 1)
                    + " member(s); add a member first");
        }
        InetSocketAddress self = new InetSocketAddress(group.self().replication().host(), group.self().replication().port());
        try {
            new ReplicationGroupAdmin(group.name(), Set.of(self)).removeMember(name);
        } catch (MemberNotFoundException e) {
            throw new StoreException(Reason.NO_SUCH_MEMBER, "group " + group.name() + " has no member " + name);
        } catch (MasterStateException e) {
            throw new StoreException(Reason.MEMBER_REFUSED, "member " + name + " leads the group now; ask it again");
        }
        MembersStore.Changes changes = added.load();
        List<GroupConfig.Member> next = changes.announced().stream().filter(m -> !m.name().equals(name)).toList();
        List<String> removed = new ArrayList<>(changes.removed());
        removed.add(name);
        added.save(new MembersStore.Changes(next, removed));
        leadership.knownMembers(next);
        LOG.warning(() -> "member " + name + " removed from group " + group.name() + " (admin API); " + (joined.size() - 1)
                + " members are left, and a majority of them is needed to commit");
    }

    private GroupConfig group() {
        return config.group().orElseThrow(() -> new StoreException(Reason.NO_GROUP, "this master is on its own: it has no "
                + "group of masters (see group in docs/running.md)"));
    }

    private ReplicatedEnvironment leaderEnvironment() {
        leadership.requireLease();
        return groupIndex.environment().orElseThrow(() -> new StoreException(Reason.NO_LEADER, "the index is not open"));
    }

    private static Set<String> names(ReplicatedEnvironment environment) {
        return environment.getGroup().getElectableNodes().stream().map(ReplicationNode::getName).collect(Collectors.toSet());
    }
}
