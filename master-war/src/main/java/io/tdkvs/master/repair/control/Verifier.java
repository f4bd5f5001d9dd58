package io.tdkvs.master.repair.control;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.tdkvs.config.MasterConfig;
import io.tdkvs.master.errors.Reason;
import io.tdkvs.master.errors.StoreException;
import io.tdkvs.master.group.control.Leadership;
import io.tdkvs.master.keys.control.WritesInFlight;
import io.tdkvs.master.keys.entity.Key;
import io.tdkvs.master.meta.control.MetaStore;
import io.tdkvs.master.meta.control.VerifyCheckpoints;
import io.tdkvs.master.migration.control.Backoff;
import io.tdkvs.master.migration.control.Migrator;
import io.tdkvs.master.migration.control.Pace;
import io.tdkvs.master.migration.control.Sweeper;
import io.tdkvs.master.repair.entity.VerifyCheckpoint;
import io.tdkvs.master.topology.control.Cluster;
import io.tdkvs.master.topology.entity.Topology;
import io.tdkvs.master.topology.entity.Volume;
import io.tdkvs.master.volumes.control.CopiesInDoubt;
import io.tdkvs.master.volumes.control.VolumeClient;
import io.tdkvs.protocol.BlobInfo;
import io.tdkvs.protocol.BlobName;

/**
 * Compares volumes with the index while the master serves: every copy the index names must be in
 * its volume's listing and not among the blobs the volume found damaged (by reads or its scrub).
 * Missing and damaged copies go to the {@link Repairs}, which re-create them from good ones (a key
 * without another good copy is counted unrepairable); blobs no metakey names are removed as orphans,
 * unless a write still in flight may claim them. It checks at most {@code moveRate} keys per second
 * if that is set, as a migration moves, and its status counts as it goes. Runs on one thread, never
 * during a migration: on request, and for one volume when it answers again or reports new damage.
 * It keeps a checkpoint in the index after every page of keys: a master that stops, or stops leading
 * its group, leaves it there, and the next leader goes on from it ({@link #resume}).
 */
@ApplicationScoped
public class Verifier {

    private static final Logger LOG = Logger.getLogger(Verifier.class.getName());
    private static final int SCAN = 1000;
    /** How many verifies that ended are kept to be asked for by the time they began. */
    static final int KEPT = 16;

    @Resource
    ManagedExecutorService executor;

    @Inject
    VolumeClient volumes;

    @Inject
    MetaStore metaKeys;

    @Inject
    Cluster cluster;

    @Inject
    Repairs repairs;

    @Inject
    Sweeper sweeper;

    @Inject
    Migrator migrator;

    @Inject
    WritesInFlight writes;

    @Inject
    MasterConfig config;

    @Inject
    Leadership leadership;

    @Inject
    VerifyCheckpoints checkpoints;

    private final AtomicBoolean running = new AtomicBoolean();
    private volatile long term = 1;
    private volatile Status last = Status.IDLE;
    private final Deque<Status> ended = new ArrayDeque<>();

    /**
     * What the last verify found.
     *
     * @param volumes      the volumes it compared with the index
     * @param keys         keys in the index
     * @param copies       copies the index names on those volumes (new writes excepted)
     * @param missing      copies not in their volume's listing
     * @param damaged      copies their volume found damaged
     * @param unrepairable missing or damaged copies of keys without another copy
     * @param misplaced    keys whose copies are not all on the volumes placement wants (stored elsewhere
     *                     while a volume was down, or too few): they are moved home (counted since this
     *                     verify last started or resumed)
     * @param uploadParts  keys that are parts of multipart uploads not completed yet, among {@code keys}
     *                     (counted since this verify last started or resumed); an upload left unfinished
     *                     is removed with its parts once it expires
     * @param uploadBytes  the bytes of those parts
     * @param orphans      blobs removed that no metakey named
     * @param repairsPending keys waiting for copies now (from verifies, reads and writes)
     * @param repaired     copies made by repairs since the master started
     */
    public record Status(String state, List<String> volumes, long keys, long copies, long missing, long damaged,
                         long unrepairable, long misplaced, long uploadParts, long uploadBytes, long orphans, String started,
                         String ended, String message, long repairsPending, long repaired) {

        static final Status IDLE = new Status("idle", List.of(), 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null, null, 0, 0);

        static Status starting(List<String> volumes, VerifyCheckpoint from) {
            return new Status("running", volumes, from.keys(), from.copies(), from.missing(), from.damaged(), from.unrepairable(),
                    0, 0, 0, 0, from.started(), null, null, 0, 0);
        }

        /** Still running, with these counts so far. */
        Status counted(long keys, long copies, long missing, long damaged, long unrepairable, long misplaced, long uploadParts,
                       long uploadBytes) {
            return new Status(state, volumes, keys, copies, missing, damaged, unrepairable, misplaced, uploadParts, uploadBytes, 0,
                    started, null, null, 0, 0);
        }

        Status done(long orphans) {
            return new Status("done", volumes, keys, copies, missing, damaged, unrepairable, misplaced, uploadParts, uploadBytes, orphans,
                    started, Instant.now().toString(), null, 0, 0);
        }

        Status failed(String why) {
            return new Status("failed", volumes, keys, copies, missing, damaged, unrepairable, misplaced, uploadParts, uploadBytes, orphans,
                    started, Instant.now().toString(), why, 0, 0);
        }

        Status withRepairs(long pending, long made) {
            return new Status(state, volumes, keys, copies, missing, damaged, unrepairable, misplaced, uploadParts, uploadBytes,
                    orphans, started, ended, message, pending, made);
        }
    }

    /** The verify running now, or the last one; idle if none ran since this master started. */
    public Status status() {
        return last.withRepairs(repairs.pending(), repairs.repaired());
    }

    /**
     * The verify that began at {@code started} (as its status gives it): the one running now, or one of
     * the last {@value #KEPT} that ended since this master started. A client that started a verify
     * follows its own this way, even when another (of a volume that answers again, say) begins after it.
     */
    public Status status(String started) {
        Status now = last;
        if (started.equals(now.started())) {
            return now.withRepairs(repairs.pending(), repairs.repaired());
        }
        synchronized (ended) {
            return ended.stream().filter(status -> started.equals(status.started())).findFirst()
                    .map(status -> status.withRepairs(repairs.pending(), repairs.repaired()))
                    .orElseThrow(() -> new StoreException(Reason.NO_SUCH_VERIFY, "no verify began at " + started + " on this "
                            + "master, among the one running and the last " + KEPT + " ended since it started"));
        }
    }

    /** Starts verifying every volume of the cluster; refused while a verify or a migration runs. */
    public Status start() {
        if (migrator.running()) {
            throw new StoreException(Reason.CHANGE_REFUSED, "a migration is running; verify when it is done");
        }
        Topology topology = cluster.topology();
        if (!launch(topology.volumes(), new VerifyCheckpoint(ids(topology.volumes()), Instant.now().toString(), Optional.empty(),
                0, 0, 0, 0, 0))) {
            throw new StoreException(Reason.CHANGE_REFUSED, "a verify is running; GET /admin/verify follows it");
        }
        return status();
    }

    /**
     * This master leads in {@code term}: a verify a former leader (or an earlier start) left unfinished
     * goes on from its checkpoint, once no migration runs.
     */
    public void resume(long leaderTerm) {
        term = leaderTerm;
        Optional<VerifyCheckpoint> left = checkpoints.load();
        if (left.isEmpty()) {
            return;
        }
        VerifyCheckpoint checkpoint = left.get();
        List<Volume> targets = cluster.topology().volumes().stream().filter(volume -> checkpoint.volumes().contains(volume.id()))
                .toList();
        if (targets.isEmpty() || !launch(targets, checkpoint)) {
            return;
        }
        LOG.info(() -> "resuming the verify begun " + checkpoint.started() + checkpoint.after().map(key -> ", after key " + key)
                .orElse("") + " (" + checkpoint.keys() + " keys checked)");
    }

    void verifyVolume(@Observes CopiesInDoubt doubt) {
        cluster.topology().volume(doubt.volume()).ifPresent(volume -> {
            LOG.info(() -> "verifying the copies on " + volume + ": " + doubt.why());
            if (migrator.running() || !launch(List.of(volume), new VerifyCheckpoint(List.of(volume.id()), Instant.now().toString(),
                    Optional.empty(), 0, 0, 0, 0, 0))) {
                LOG.info(() -> "a verify or a migration runs; " + volume + " is checked by the next verify");
            }
        });
    }

    private boolean halted(long leaderTerm) {
        return !leadership.holds(leaderTerm);
    }

    private boolean launch(List<Volume> targets, VerifyCheckpoint from) {
        if (!running.compareAndSet(false, true)) {
            return false;
        }
        long leaderTerm = term;
        last = Status.starting(names(targets), from);
        try {
            executor.execute(() -> {
                try {
                    awaitNoMigration(leaderTerm);
                    last = verify(targets, from, leaderTerm);
                    checkpoints.clear();
                    LOG.info(() -> "verify done: " + last);
                } catch (Halted e) {
                    last = last.failed("this master stopped leading its group; the new leader resumes the verify");
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "verify failed", e);
                    last = last.failed(String.valueOf(e.getMessage()));
                    clearQuietly();
                } finally {
                    keep(last);
                    running.set(false);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            running.set(false);
            return false;
        }
    }

    private void keep(Status status) {
        synchronized (ended) {
            ended.removeIf(old -> old.started().equals(status.started()));
            ended.addFirst(status);
            while (ended.size() > KEPT) {
                ended.removeLast();
            }
        }
    }

    private void awaitNoMigration(long leaderTerm) {
        while (migrator.running()) {
            if (halted(leaderTerm) || !Backoff.sleep(Duration.ofSeconds(1))) {
                throw new Halted();
            }
        }
    }

    private void clearQuietly() {
        try {
            checkpoints.clear();
        } catch (RuntimeException e) {
            LOG.fine(() -> "the verify's checkpoint stays: " + e.getMessage());
        }
    }

    private Status verify(List<Volume> targets, VerifyCheckpoint from, long leaderTerm) {
        Status starting = last;
        long below = writes.oldestUnfinished();
        Map<Integer, Map<BlobName, BlobInfo>> listed = new HashMap<>();
        Map<Integer, Set<String>> damagedNames = new HashMap<>();
        for (Volume volume : targets) {
            Map<BlobName, BlobInfo> blobs = new HashMap<>();
            volumes.list(volume.url(), blob -> blobs.put(blob.name(), blob));
            listed.put(volume.id(), blobs);
            damagedNames.put(volume.id(), Set.copyOf(volumes.status(volume.url()).damaged()));
        }
        long keys = from.keys();
        long copies = from.copies();
        long missing = from.missing();
        long damaged = from.damaged();
        long unrepairable = from.unrepairable();
        long misplaced = 0;
        long uploadParts = 0;
        long uploadBytes = 0;
        Topology topology = cluster.topology();
        Optional<Key> after = from.after();
        Pace pace = new Pace(config.moveRate());
        int pageKeys = Math.min(SCAN, pace.batchKeys());
        for (List<MetaStore.Entry> page; !(page = metaKeys.scan(after, pageKeys)).isEmpty(); after = Optional.of(page.get(page.size() - 1).key())) {
            if (halted(leaderTerm)) {
                throw new Halted();
            }
            if (!pace.await(page.size())) {
                throw new IllegalStateException("the master is stopping");
            }
            for (MetaStore.Entry entry : page) {
                keys++;
                if (entry.key().uploadPart()) {
                    uploadParts++;
                    uploadBytes += entry.meta().size();
                }
                if (entry.meta().generation() >= below) {
                    continue;
                }
                if (topology.misplaced(entry.key(), entry.meta())) {
                    misplaced++;
                    repairs.copyLater(entry.key());
                }
                for (int holder : entry.meta().holders()) {
                    Map<BlobName, BlobInfo> blobs = listed.get(holder);
                    if (blobs == null) {
                        continue;
                    }
                    copies++;
                    BlobName name = entry.meta().blobName(entry.key());
                    boolean lost = blobs.remove(name) == null;
                    boolean bad = !lost && damagedNames.get(holder).contains(name.value());
                    if (lost || bad) {
                        missing += lost ? 1 : 0;
                        damaged += bad ? 1 : 0;
                        unrepairable += entry.meta().holders().size() == 1 ? 1 : 0;
                        repairs.badCopy(entry.key(), entry.meta(), holder, bad);
                    }
                }
            }
            last = starting.counted(keys, copies, missing, damaged, unrepairable, misplaced, uploadParts, uploadBytes);
            checkpoints.save(new VerifyCheckpoint(from.volumes(), from.started(), Optional.of(page.get(page.size() - 1).key()),
                    keys, copies, missing, damaged, unrepairable));
        }
        // what is left of each listing, the index did not name there (blobs of keys a former run checked
        // are among them: the sweeper checks each against the index before it removes it)
        long orphans = 0;
        for (Volume volume : targets) {
            if (halted(leaderTerm)) {
                throw new Halted();
            }
            orphans += sweeper.removeOrphans(volume, listed.remove(volume.id()).values(), below);
        }
        return last.done(orphans);
    }

    /** The leader's term ended: the verify stops, its checkpoint left for the next leader. */
    private static final class Halted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Halted() {
            super("this master stopped leading its group", null, false, false);
        }
    }

    private static List<Integer> ids(List<Volume> volumes) {
        return volumes.stream().map(Volume::id).toList();
    }

    private static List<String> names(List<Volume> targets) {
        return targets.stream().map(volume -> volume.url().value()).toList();
    }
}
