package io.tdkvs.master.group.control;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.sleepycat.je.DatabaseNotFoundException;
import com.sleepycat.je.EnvironmentFailureException;
import com.sleepycat.je.rep.InsufficientLogException;
import com.sleepycat.je.rep.NetworkRestore;
import com.sleepycat.je.rep.NetworkRestoreConfig;
import com.sleepycat.je.rep.NoConsistencyRequiredPolicy;
import com.sleepycat.je.rep.NodeState;
import com.sleepycat.je.rep.ReplicatedEnvironment;
import com.sleepycat.je.rep.ReplicationConfig;
import com.sleepycat.je.rep.ReplicationNode;
import com.sleepycat.je.rep.RollbackProhibitedException;
import com.sleepycat.je.rep.StateChangeEvent;
import com.sleepycat.je.rep.util.DbEnableReplication;

import io.tdkvs.config.GroupConfig;
import io.tdkvs.config.MasterConfig;
import io.tdkvs.config.VolumeUrl;
import io.tdkvs.master.errors.StoreException;
import io.tdkvs.master.meta.control.Database;
import io.tdkvs.master.volumes.control.VolumeClient;
import io.tdkvs.runtime.Exit;

/**
 * The life of this master's replica of the group's index, on a thread of its own: it opens the
 * replicated JE environment, founding the group, joining it, or converting a master's own index into
 * its first member; follows JE's changes of role (one at a time, in order, announced as
 * {@link LeadershipChange}s); and closes and reopens the environment where JE says it must (after a
 * rollback of commits this member made alone, or to copy the index from a peer when its own is gone
 * or too old: JE's network restore).
 * <p>
 * Founding is where a group can be split: a member with an empty folder that founds a group while
 * the real one is down would found a second one. Only the first member listed founds, and only when
 * no other member holds an index and the volumes hold no value; otherwise it joins, or refuses to start.
 */
@Singleton
public class GroupIndex {

    private static final Logger LOG = Logger.getLogger(GroupIndex.class.getName());
    /** A member waiting for its group is interrupted this often, to say what it waits for. */
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final Duration PROBE = Duration.ofSeconds(2);
    private static final Duration VOLUMES_WAIT = Duration.ofMinutes(5);

    @Inject
    MasterConfig config;

    @Inject
    Database database;

    @Inject
    Leadership leadership;

    @Inject
    VolumeClient volumes;

    @Inject
    Event<LeadershipChange> changes;

    @Resource
    ManagedThreadFactory threads;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private final BlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
    private volatile Thread worker;
    private volatile boolean stopping;
    private volatile boolean opening;
    private ExecutorService probes;

    /** What the group's thread is told, in order. */
    private sealed interface Signal permits Elected, Deposed, Restart, Stop {
    }

    private record Elected(long term) implements Signal {
    }

    private record Deposed() implements Signal {
    }

    private record Restart(String why) implements Signal {
    }

    private record Stop() implements Signal {
    }

    /** A start this member must not make: the message says why and what to do. */
    static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refusal(String message) {
            super(message);
        }
    }

    private GroupConfig group() {
        return config.group().orElseThrow();
    }

    /** Starts opening the index on the group's thread; answers at once. */
    public synchronized void start() {
        if (worker != null) {
            return;
        }
        probes = Executors.newCachedThreadPool(threads);
        database.onRestartRequired(e -> signals.offer(new Restart(e.getMessage())));
        database.onAcknowledged(leadership::acknowledged);
        database.offline(() -> "this master is joining its group " + group().name());
        worker = threads.newThread(this::run);
        worker.setName("tdkvs-group");
        worker.start();
    }

    /** Asks members what they are (see {@link GroupProbe}). */
    Map<String, NodeState> probe(List<GroupConfig.Member> members, Duration timeout) {
        return probe().ask(members, timeout);
    }

    GroupProbe probe() {
        return new GroupProbe(group().name(), probes);
    }

    private void run() {
        while (!stopping && !database.closed()) {
            ReplicatedEnvironment environment;
            try {
                environment = open();
            } catch (Refusal e) {
                leadership.offline();
                Exit.fail(LOG, Exit.USAGE, "the master cannot start: " + e.getMessage());
                return;
            } catch (RollbackProhibitedException e) {
                Exit.fail(LOG, Exit.FAILED, "the master cannot rejoin its group: JE would have to undo more acknowledged "
                        + "commits than it may (" + e.getMessage() + "); move " + Database.directory(config)
                        + " away and start it again, so that it copies the index from the other members");
                return;
            } catch (RuntimeException e) {
                if (removed(e)) {
                    Exit.fail(LOG, Exit.USAGE, "the master cannot start: member " + group().self().name() + " was removed from "
                            + "group " + group().name() + ", and JE lets no member rejoin under the name it had. Announce it "
                            + "under a new name (POST /admin/group/members), write that name in the configs, and move "
                            + Database.directory(config) + " away");
                    return;
                }
                if (!stopping) {
                    LOG.log(Level.WARNING, "could not open the index as a member of group " + group().name() + "; trying again", e);
                    pause(Duration.ofSeconds(1));
                }
                continue;
            }
            if (environment == null) {
                return;
            }
            serve(environment);
        }
    }

    /** Opens the replicated environment; null if the master stops meanwhile. */
    private ReplicatedEnvironment open() {
        Path directory = Database.directory(config);
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the index directory " + directory, e);
        }
        List<GroupConfig.Member> helpers = helpers(directory);
        ReplicationConfig replication = GroupTimings.apply(new ReplicationConfig(group().name(), group().self().name(),
                group().self().replication().toString()));
        // this master reads its own replica only for its status: no wait for it to catch up
        replication.setConsistencyPolicy(NoConsistencyRequiredPolicy.NO_CONSISTENCY);
        replication.setHelperHosts(helpers.stream().map(member -> member.replication().toString()).collect(Collectors.joining(",")));
        while (!stopping) {
            opening = true;
            ScheduledFuture<?> watchdog = scheduler.schedule(worker::interrupt, PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            try {
                ReplicatedEnvironment environment = new ReplicatedEnvironment(directory.toFile(), replication,
                        Database.environmentConfig(Database.groupDurability()));
                LOG.info(() -> "index opened as member " + group().self().name() + " of group " + group().name() + " ("
                        + environment.getState() + ")");
                return environment;
            } catch (InsufficientLogException e) {
                restore(e);
            } catch (EnvironmentFailureException e) {
                if (!interrupted(e)) {
                    throw e;
                }
                if (!stopping) {
                    LOG.info(() -> "member " + group().self().name() + " still waits for its group: " + describe(helpers));
                }
            } finally {
                watchdog.cancel(false);
                opening = false;
                Thread.interrupted();
            }
        }
        return null;
    }

    /** Whose answers a member opening its index relies on: the others, or itself alone to found the group. */
    private List<GroupConfig.Member> helpers(Path directory) {
        GroupConfig group = group();
        IndexDirectory contents = IndexDirectory.of(directory);
        switch (contents) {
            case MEMBER:
                return group.others();
            case STANDALONE: {
                Optional<String> running = holdingMembers();
                if (running.isPresent()) {
                    throw new Refusal(directory + " holds the index of a master on its own, while group " + group.name()
                            + " already runs (" + running.get() + "): its index would be ignored. Move " + directory
                            + " away to join the group as a new member (it then copies the group's index), or stop the "
                            + "other members and move their data folders away to make this index the group's.");
                }
                LOG.info(() -> "converting the index of a master on its own at " + directory + " into the first member, "
                        + group.self().name() + ", of group " + group.name());
                new DbEnableReplication(directory.toFile(), group.name(), group.self().name(),
                        group.self().replication().toString()).convert();
                return List.of(group.self());
            }
            default:
                break;
        }
        if (!group.self().equals(group.founder())) {
            LOG.info(() -> "member " + group.self().name() + " has no index yet: it joins group " + group.name()
                    + " and copies the index from the others");
            return group.others();
        }
        Optional<String> running = holdingMembers();
        long values = valuesOnVolumes();
        long deadline = System.nanoTime() + group.othersWait().toNanos();
        while (running.isEmpty() && values > 0 && System.nanoTime() < deadline && !stopping) {
            LOG.info(() -> "member " + group.self().name() + " has no index and the volumes hold values: waiting for the "
                    + "other members of group " + group.name() + " to answer");
            pause(PROBE);
            running = holdingMembers();
        }
        if (running.isPresent()) {
            String members = running.get();
            LOG.info(() -> "member " + group.self().name() + " has no index; group " + group.name() + " runs (" + members
                    + "): it joins and copies the index from the others");
            return group.others();
        }
        if (values > 0) {
            throw new Refusal("the index folder " + directory + " is empty and no other member of group " + group.name()
                    + " holds an index (none of " + group.others().stream().map(GroupConfig.Member::name).toList()
                    + " answers with one), while the volumes hold " + values + " blobs: founding a new group now would "
                    + "start from an empty index and split the group. Start the other members: this one then copies the "
                    + "index from them. (A lost index of every member is recreated with -rebuild, on a master on its own.)");
        }
        LOG.info(() -> "founding group " + group.name() + " with member " + group.self().name() + "; the others join it");
        return List.of(group.self());
    }

    /** The other members that answer holding an index, described; empty if none does. */
    private Optional<String> holdingMembers() {
        Map<String, NodeState> answers = probe(group().others(), PROBE);
        List<String> holding = answers.entrySet().stream().filter(answer -> GroupProbe.holdsIndex(answer.getValue()))
                .map(answer -> answer.getKey() + " " + answer.getValue().getNodeState().toString().toLowerCase()).toList();
        return holding.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", holding));
    }

    /** The blobs on the config's volumes, once every one answers with its count. */
    private long valuesOnVolumes() {
        long deadline = System.nanoTime() + VOLUMES_WAIT.toNanos();
        while (true) {
            long total = 0;
            Optional<String> waiting = Optional.empty();
            for (VolumeUrl volume : config.volumes()) {
                try {
                    long blobs = volumes.status(volume).blobs();
                    if (blobs < 0) {
                        waiting = Optional.of("volume " + volume + " is counting its blobs");
                    }
                    total += Math.max(0, blobs);
                } catch (StoreException e) {
                    waiting = Optional.of(e.getMessage());
                }
            }
            if (waiting.isEmpty()) {
                return total;
            }
            if (System.nanoTime() > deadline || stopping) {
                throw new Refusal("cannot found group " + group().name() + ": whether the volumes hold values is unknown ("
                        + waiting.get() + "); start every volume of " + config.file() + " first");
            }
            String why = waiting.get();
            LOG.info(() -> "before founding group " + group().name() + ", waiting for the volumes: " + why);
            pause(Duration.ofSeconds(2));
        }
    }

    private void restore(InsufficientLogException e) {
        LOG.info(() -> "member " + group().self().name() + " copies the index from another member (JE network restore)");
        long start = System.nanoTime();
        new NetworkRestore().execute(e, new NetworkRestoreConfig().setRetainLogFiles(false));
        LOG.info(() -> String.format("index copied in %.1f s", (System.nanoTime() - start) / 1e9));
    }

    /** Serves from an open environment until it must be reopened or the master stops. */
    private void serve(ReplicatedEnvironment environment) {
        GroupTimings.tune(environment);
        environment.setStateChangeListener(this::stateChanged);
        String why = "stopping";
        try {
            while (!stopping) {
                Signal signal = signals.poll(250, TimeUnit.MILLISECONDS);
                if (!database.attached()) {
                    attach(environment);
                }
                if (signal instanceof Restart restart) {
                    why = restart.why();
                    break;
                }
                if (signal instanceof Elected elected) {
                    takeOver(environment, elected.term());
                } else if (signal instanceof Deposed) {
                    stepDown();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            leadership.offline();
            stepDown();
            String reason = why;
            database.detach(() -> stopping ? "the master is stopping" : "this master is rejoining its group");
            try {
                environment.close();
            } catch (RuntimeException e) {
                LOG.fine(() -> "closing the index: " + e);
            }
            if (!stopping) {
                LOG.warning(() -> "reopening the index: " + reason);
            }
            signals.removeIf(signal -> !(signal instanceof Stop));
        }
    }

    /** Runs on a JE thread: records the new role at once, and hands the work it needs to the group's thread. */
    private void stateChanged(StateChangeEvent event) {
        switch (event.getState()) {
            case MASTER -> signals.offer(new Elected(leadership.elected()));
            case REPLICA -> {
                leadership.follows(Optional.of(event.getMasterNodeName()));
                signals.offer(new Deposed());
            }
            case UNKNOWN -> {
                leadership.follows(Optional.empty());
                signals.offer(new Deposed());
            }
            case DETACHED -> {
                leadership.offline();
                if (!stopping && !database.closed()) {
                    signals.offer(new Restart("JE closed the environment"));
                }
            }
        }
    }

    /** Opens the databases; a new member waits until it has received them from the leader. */
    private void attach(ReplicatedEnvironment environment) {
        try {
            database.attach(environment, environment.getState().isMaster());
        } catch (DatabaseNotFoundException e) {
            LOG.fine(() -> "the index's databases have not arrived yet");
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "cannot open the index's databases yet", e);
        }
    }

    private void takeOver(ReplicatedEnvironment environment, long term) {
        if (!leadership.holds(term)) {
            return;
        }
        attach(environment);
        try {
            database.openGenerations();
            changes.fire(new LeadershipChange(true, term));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the take-over failed; this master waits for the next election", e);
        }
    }

    private void stepDown() {
        if (database.attached()) {
            try {
                database.closeGenerations();
            } catch (RuntimeException e) {
                LOG.fine(() -> "closing the generations: " + e);
            }
        }
        changes.fire(new LeadershipChange(false, leadership.view().term()));
    }

    private String describe(List<GroupConfig.Member> helpers) {
        Map<String, NodeState> answers = probe(helpers, PROBE);
        return helpers.stream().map(member -> Optional.ofNullable(answers.get(member.name()))
                        .map(state -> member.name() + " answers (" + state.getNodeState().toString().toLowerCase()
                                + (state.getMasterName() == null ? "" : ", leader " + state.getMasterName()) + ")")
                        .orElse(member.name() + " at " + member.replication() + " does not answer"))
                .collect(Collectors.joining(", "));
    }

    /** JE refuses a member that was removed from the group, for good. */
    private static boolean removed(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (String.valueOf(cause.getMessage()).contains("It was explicitly removed")) {
                return true;
            }
        }
        return false;
    }

    private static boolean interrupted(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof InterruptedException) {
                return true;
            }
        }
        return Thread.currentThread().isInterrupted();
    }

    private void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Hands the leadership to the other member whose log is most current (JE's master transfer): new
     * commits wait meanwhile, and this member follows the new leader. Answers the new leader's name.
     */
    public String transferLeadership(Duration timeout) {
        ReplicatedEnvironment environment = environment().orElseThrow(() -> new IllegalStateException("the index is not open"));
        Set<String> others = environment.getGroup().getElectableNodes().stream().map(ReplicationNode::getName)
                .filter(name -> !name.equals(group().self().name())).collect(Collectors.toSet());
        return environment.transferMaster(others, (int) Math.max(1, timeout.toSeconds()), TimeUnit.SECONDS);
    }

    /** The environment, while it is open (for the group's status). */
    public Optional<ReplicatedEnvironment> environment() {
        return database.replicated();
    }

    @PreDestroy
    void stop() {
        stopping = true;
        signals.offer(new Stop());
        Thread running = worker;
        if (running != null) {
            if (opening) {
                running.interrupt();
            }
            try {
                running.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (probes != null) {
            probes.shutdownNow();
        }
    }
}
