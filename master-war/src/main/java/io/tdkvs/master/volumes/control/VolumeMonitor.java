package io.tdkvs.master.volumes.control;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import io.tdkvs.config.VolumeUrl;
import io.tdkvs.master.errors.StoreException;
import io.tdkvs.master.topology.control.Cluster;
import io.tdkvs.master.topology.entity.Volume;
import io.tdkvs.protocol.VolumeStatus;

/**
 * Asks every volume of the cluster for its status every {@value #PERIOD_SECONDS} seconds: whether it
 * answers, how many blobs it holds and how much room it has left. A volume that stops or starts
 * answering is logged once. One that answers again, or reports more damaged blobs, is announced as a
 * {@link CopiesInDoubt}, so its copies are verified.
 */
@ApplicationScoped
public class VolumeMonitor {

    static final long PERIOD_SECONDS = 5;
    private static final long RECHECK_MILLIS = 1000;
    private static final Logger LOG = Logger.getLogger(VolumeMonitor.class.getName());

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    VolumeClient volumes;

    @Inject
    Cluster cluster;

    @Inject
    Event<VolumesChecked> checked;

    @Inject
    Event<CopiesInDoubt> doubts;

    private final Map<VolumeUrl, VolumeHealth> health = new ConcurrentHashMap<>();
    private ScheduledFuture<?> task;

    /** Starts asking, at once and then periodically. */
    public synchronized void start() {
        if (task == null) {
            task = scheduler.scheduleWithFixedDelay(this::checkAll, 0, PERIOD_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** What the last check found of a volume; empty if it has not been asked yet. */
    public Optional<VolumeHealth> health(VolumeUrl volume) {
        return Optional.ofNullable(health.get(volume));
    }

    /**
     * Whether a volume is not known to be down: it answered its last status check (or has not been
     * asked lately), and no call has failed to reach it since.
     */
    public boolean answering(VolumeUrl volume) {
        VolumeHealth last = health.get(volume);
        // a finding that no check renewed (this master does not check now) is forgotten
        return last == null || last.up() || last.checked().isBefore(Instant.now().minusSeconds(3 * PERIOD_SECONDS));
    }

    /**
     * A call to a volume found it not answering: it counts as down (writes pass it over, reads try it
     * last) until its next status check finds it answering.
     */
    public void markDown(VolumeUrl volume, String problem) {
        VolumeHealth before = health.get(volume);
        if (before == null || before.up()) {
            VolumeHealth down = VolumeHealth.down(problem);
            if ((before == null ? health.putIfAbsent(volume, down) == null : health.replace(volume, before, down))) {
                LOG.warning(() -> "volume " + volume + " does not answer: " + problem);
                recheckSoon(volume);
            }
        }
    }

    /** Asks a volume found down again in a second, so that one that was only slow is not passed over for long. */
    private void recheckSoon(VolumeUrl volume) {
        synchronized (this) {
            if (task == null) {
                return;
            }
        }
        try {
            scheduler.schedule(() -> {
                try {
                    check(volume);
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "could not check " + volume, e);
                }
            }, RECHECK_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "could not schedule a check of " + volume, e);
        }
    }

    void checkAll() {
        try {
            Set<VolumeUrl> urls = cluster.topology().volumes().stream().map(Volume::url).collect(Collectors.toSet());
            urls.forEach(this::check);
            health.keySet().retainAll(urls);
            checked.fire(new VolumesChecked(urls));
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "could not check the volumes", e);
        }
    }

    private void check(VolumeUrl url) {
        VolumeHealth now;
        try {
            VolumeStatus status = volumes.status(url);
            now = new VolumeHealth(true, status.blobs(), status.usableBytes(), status.damagedBlobs(), Instant.now(), null,
                    status.scrub());
            VolumeHealth last = health.get(url);
            if (status.damagedBlobs() > 0 && (last == null || last.damaged() != status.damagedBlobs())) {
                LOG.warning(() -> "volume " + url + " holds " + status.damagedBlobs() + " damaged blobs (values that do not match "
                        + "their CRC32C), such as " + status.damaged().subList(0, Math.min(3, status.damaged().size())));
                if (last == null || status.damagedBlobs() > last.damaged()) {
                    doubts.fire(new CopiesInDoubt(url, "it found " + status.damagedBlobs() + " damaged blobs"));
                }
            }
        } catch (StoreException e) {
            now = VolumeHealth.down(e.getMessage());
        }
        VolumeHealth before = health.put(url, now);
        if (before != null && before.up() != now.up()) {
            VolumeHealth after = now;
            LOG.log(now.up() ? Level.INFO : Level.WARNING, () -> after.up() ? "volume " + url + " answers again"
                    : "volume " + url + " does not answer: " + after.problem());
            if (now.up()) {
                doubts.fire(new CopiesInDoubt(url, "it answers again"));
            }
        }
    }

    /** Stops asking: at a stop, and when this master stops leading its group. */
    @PreDestroy
    public synchronized void stop() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }
}
