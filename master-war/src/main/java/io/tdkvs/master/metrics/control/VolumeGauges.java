package io.tdkvs.master.metrics.control;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToLongFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

import io.tdkvs.config.VolumeUrl;
import io.tdkvs.master.volumes.control.VolumeHealth;
import io.tdkvs.master.volumes.control.VolumeMonitor;
import io.tdkvs.master.volumes.control.VolumesChecked;

/**
 * Per-volume gauges, as the {@link VolumeMonitor} last found each volume of the cluster:
 * {@code tdkvs_volume_up{volume}} (1 or 0), {@code tdkvs_volume_blobs{volume}} and
 * {@code tdkvs_volume_usable_bytes{volume}}, {@code tdkvs_volume_damaged_blobs{volume}} (-1 while unknown). A volume that leaves the cluster
 * leaves the metrics too.
 */
@ApplicationScoped
public class VolumeGauges {

    private static final List<Gauge> GAUGES = List.of(
            new Gauge("tdkvs_volume_up", "1 if the volume answered when last asked, else 0", health -> health.up() ? 1 : 0),
            new Gauge("tdkvs_volume_blobs", "blob files the volume holds; -1 while unknown", VolumeHealth::blobs),
            new Gauge("tdkvs_volume_usable_bytes", "room left for values on the volume's disk; -1 while unknown",
                    VolumeHealth::usableBytes),
            new Gauge("tdkvs_volume_damaged_blobs", "blobs the volume found damaged (by reads and its scrub) and still holds; "
                    + "-1 while unknown", VolumeHealth::damaged));

    @Inject
    MetricRegistry registry;

    @Inject
    VolumeMonitor monitor;

    private final Set<VolumeUrl> registered = new HashSet<>();

    synchronized void onChecked(@Observes VolumesChecked checked) {
        for (VolumeUrl url : checked.volumes()) {
            if (registered.add(url)) {
                for (Gauge gauge : GAUGES) {
                    registry.gauge(Metadata.builder().withName(gauge.name()).withDescription(gauge.description()).build(),
                            () -> monitor.health(url).map(gauge.value()::applyAsLong).orElse(-1L), tag(url));
                }
            }
        }
        for (VolumeUrl gone : Set.copyOf(registered)) {
            if (!checked.volumes().contains(gone)) {
                GAUGES.forEach(gauge -> registry.remove(new MetricID(gauge.name(), tag(gone))));
                registered.remove(gone);
            }
        }
    }

    private static Tag tag(VolumeUrl url) {
        return new Tag("volume", url.value());
    }

    private record Gauge(String name, String description, ToLongFunction<VolumeHealth> value) {
    }
}
