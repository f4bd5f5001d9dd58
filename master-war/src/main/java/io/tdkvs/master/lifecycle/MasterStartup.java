package io.tdkvs.master.lifecycle;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import io.tdkvs.config.ConfigException;
import io.tdkvs.config.GroupConfig;
import io.tdkvs.config.MasterConfig;
import io.tdkvs.master.errors.StoreException;
import io.tdkvs.master.group.control.GroupIndex;
import io.tdkvs.master.group.control.GroupStatus;
import io.tdkvs.master.group.control.Heartbeat;
import io.tdkvs.master.group.control.Leadership;
import io.tdkvs.master.group.control.LeadershipChange;
import io.tdkvs.master.meta.control.MetaStore;
import io.tdkvs.master.meta.control.TopologyStore;
import io.tdkvs.master.migration.control.Migrator;
import io.tdkvs.master.migration.entity.MigrationState;
import io.tdkvs.master.repair.control.Repairs;
import io.tdkvs.master.repair.control.Verifier;
import io.tdkvs.master.topology.control.TopologyException;
import io.tdkvs.master.topology.control.TopologyPlan;
import io.tdkvs.master.topology.control.TopologyPlanner;
import io.tdkvs.master.topology.entity.Topology;
import io.tdkvs.master.volumes.control.VolumeMonitor;
import io.tdkvs.runtime.Exit;
import io.tdkvs.runtime.ResponseStreams;

/**
 * The startup singleton. A master on its own reads the config, reconciles the recorded topology with
 * it, starts the migration the change needs (or resumes one a stop cut short) and serves meanwhile; or,
 * asked to delete a volume ({@code -delete=<index>}), hands over to the {@link DeleteCommand}, or asked
 * to rebuild a lost index ({@code -rebuild}), to the {@link RebuildCommand}.
 * <p>
 * A master of a group opens its replica of the index ({@link GroupIndex}) and does all that when it
 * is elected leader: the take-over. It also resumes the repairs and the verify a former leader left
 * (from the index: keys whose copies are not where placement wants them; the verify's checkpoint), and
 * moves the generations of new values well past any a former leader may have handed out. When it
 * stops leading, that work stops with its term.
 * <p>
 * A start that cannot go on ends the process with the reason (status 2 for a wrong config or
 * request, 1 for a failure such as a volume that does not answer).
 */
@ApplicationScoped
public class MasterStartup {

    private static final Logger LOG = Logger.getLogger(MasterStartup.class.getName());
    /**
     * How far a new leader moves the generations on: past any value a former leader may have handed
     * out in commits that were then rolled back (at most a few caches of 1000).
     */
    static final long GENERATION_GAP = 1L << 30;
    private static final Duration FORMER_MIGRATION = Duration.ofSeconds(30);

    @Inject
    Instance<MasterConfig> configs;

    @Inject
    MasterSettings settings;

    @Inject
    TopologyStore topologies;

    @Inject
    TopologyChanges changes;

    @Inject
    DeleteCommand deleteCommand;

    @Inject
    RebuildCommand rebuildCommand;

    @Inject
    VolumeMonitor monitor;

    @Inject
    ServingGate gate;

    @Inject
    Leadership leadership;

    @Inject
    GroupIndex groupIndex;

    @Inject
    Heartbeat heartbeat;

    @Inject
    GroupStatus groupStatus;

    @Inject
    Handover handover;

    @Inject
    MetaStore metaKeys;

    @Inject
    Migrator migrator;

    @Inject
    Repairs repairs;

    @Inject
    Verifier verifier;

    void onStart(@Observes Startup startup) {
        ResponseStreams.quietClosedConnections();
        try {
            MasterConfig config = configs.get();
            if (config.group().isPresent()) {
                joinGroup(config, config.group().get());
                return;
            }
            if (settings.rebuild()) {
                rebuildCommand.run(config);
                return;
            }
            takeOver(config, leadership.view().term());
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private void joinGroup(MasterConfig config, GroupConfig group) {
        if (settings.rebuild()) {
            throw new IllegalArgumentException("-rebuild recreates the index of a master on its own; a member of group "
                    + group.name() + " copies it from the others. To rebuild a group's lost index, rebuild it with a config "
                    + "without the group section, then start the members with it (see docs/running.md)");
        }
        handover.install();
        heartbeat.start();
        groupIndex.start();
        groupStatus.start();
        LOG.info(() -> "member " + group.self().name() + " of group " + group.name() + " " + group.members()
                + ": opening its index; it serves once it leads the group or follows its leader");
    }

    /** This master began or stopped leading its group. */
    void leadershipChanged(@Observes LeadershipChange change) {
        MasterConfig config = configs.get();
        if (!change.elected()) {
            monitor.stop();
            if (settings.deleteIndex().isPresent() && leadership.view().following()) {
                GroupConfig.Member leader = leadership.view().leader().orElseThrow();
                Exit.fail(LOG, Exit.USAGE, "-delete runs on the leader of the group, and this master follows " + leader
                        + ". Drain the volume through the leader's admin API (POST " + leader.url() + "/admin/volumes/drain), "
                        + "or run -delete with the leader's config");
            }
            return;
        }
        try {
            takeOver(config, change.term());
        } catch (StoreException e) {
            LOG.warning(() -> "the take-over of term " + change.term() + " stopped: " + e.getMessage());
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    /** This master leads (in {@code term}): it reconciles the topology, resumes what was left, and serves. */
    private void takeOver(MasterConfig config, long term) {
        if (leadership.grouped()) {
            awaitMajorityJoined(config.group().orElseThrow(), term);
            metaKeys.advanceGenerationsPast(metaKeys.nextGeneration() + GENERATION_GAP);
            if (!migrator.awaitEnd(FORMER_MIGRATION)) {
                throw new IllegalStateException("the migration of this master's former term did not stop in " + FORMER_MIGRATION);
            }
        }
        Optional<Integer> deleteIndex = settings.deleteIndex();
        Optional<Topology> recorded = topologies.load();
        TopologyPlan plan = plan(recorded, config, deleteIndex);
        boolean resumed = recorded.filter(topology -> !topology.settled()).isPresent();
        if (deleteIndex.isPresent()) {
            leadership.tookOver(term);
            deleteCommand.run(config, plan, resumed);
            return;
        }
        plan.changes().forEach(LOG::info);
        changes.apply(plan.topology(), resumed).thenAccept(status -> {
            if (status.state() == MigrationState.FAILED && leadership.holds(term)) {
                // Every metakey still names the volume that holds its value: the keys left behind stay
                // readable where they are, and the next start tries to move them again.
                LOG.severe(() -> status.description() + " did not finish (" + status.message() + "); "
                        + "see GET /admin/migration; the next start resumes it");
            }
        });
        monitor.start();
        repairs.resume(term);
        verifier.resume(term);
        gate.open();
        leadership.tookOver(term);
        LOG.info(() -> leadership.self().map(self -> "member " + self.name() + " leads its group and serves")
                .orElse("the master serves") + ", with volumes " + plan.topology().active());
    }

    /**
     * The topology to lead with. In a group, a config whose volumes disagree with the recorded ones (a
     * change made through the admin API that the file does not show yet) does not stop a take-over: the
     * recorded volumes win, and the log says what to change in the file.
     */
    private TopologyPlan plan(Optional<Topology> recorded, MasterConfig config, Optional<Integer> deleteIndex) {
        try {
            return TopologyPlanner.plan(recorded, config, deleteIndex);
        } catch (TopologyException e) {
            if (!leadership.grouped() || recorded.isEmpty() || deleteIndex.isPresent()) {
                throw e;
            }
            LOG.warning(() -> "the config file disagrees with the cluster's recorded volumes: " + e.getMessage()
                    + ". The leader goes on with the recorded volumes " + recorded.get().volumes()
                    + "; make the volumes of every member's config say the same");
            return new TopologyPlan(recorded.get(), List.of(), Optional.empty(), Optional.empty());
        }
    }

    /**
     * A leader serves only once a majority of the members its config lists have joined JE's group: a
     * member that founded a group of its own by mistake never serves alone.
     */
    private void awaitMajorityJoined(GroupConfig group, long term) {
        boolean said = false;
        while (leadership.holds(term)) {
            int joined = groupIndex.environment().map(environment -> environment.getGroup().getElectableNodes().size()).orElse(0);
            if (joined >= group.majority()) {
                return;
            }
            if (!said) {
                LOG.info(() -> "group " + group.name() + " has " + joined + " of its " + group.members().size()
                        + " members; the leader serves once " + group.majority() + " have joined");
                said = true;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new StoreException(io.tdkvs.master.errors.Reason.NO_LEADER, "this master stopped leading during its take-over");
    }

    private void fail(RuntimeException e) {
        if (e instanceof ConfigException || e instanceof TopologyException || e instanceof IllegalArgumentException) {
            gate.close(() -> "the master could not start: " + e.getMessage());
            Exit.fail(LOG, Exit.USAGE, "the master cannot start: " + e.getMessage());
            return;
        }
        String reason = Exit.reason(e);
        LOG.log(Level.FINE, "start failure", e);
        gate.close(() -> "the master could not start: " + reason);
        Exit.fail(LOG, Exit.FAILED, "the master cannot start: " + reason);
    }
}
