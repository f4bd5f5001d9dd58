package io.tdkvs.master.metrics.control;

import java.util.List;
import java.util.function.ToLongFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;

import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

import io.tdkvs.config.GroupConfig;
import io.tdkvs.config.MasterConfig;
import io.tdkvs.master.group.control.GroupStatus;
import io.tdkvs.master.group.control.Leadership;
import io.tdkvs.master.group.entity.MemberView;

/**
 * The group of masters as this master last saw it ({@link GroupStatus}), for a member of a group:
 * {@code tdkvs_group_leading} (1 while this master leads and may answer), and per member of its config
 * {@code tdkvs_group_member_up{member}} (1 if it answered when last asked), {@code tdkvs_group_member_leader{member}}
 * (1 for the leader) and {@code tdkvs_group_member_lag{member}} (entries of the leader's log it has yet to
 * apply; -1 while unknown).
 */
@ApplicationScoped
public class GroupGauges {

    private static final List<Gauge> GAUGES = List.of(
            new Gauge("tdkvs_group_member_up", "1 if the member of the group answered when last asked, else 0",
                    member -> member.answers() ? 1 : 0),
            new Gauge("tdkvs_group_member_leader", "1 if the member leads the group, else 0",
                    member -> member.role().equals("leader") ? 1 : 0),
            new Gauge("tdkvs_group_member_lag", "entries of the leader's replicated log the member has yet to apply; -1 while "
                    + "unknown", member -> member.lag() == null ? -1 : member.lag()));

    @Inject
    MetricRegistry registry;

    @Inject
    MasterConfig config;

    @Inject
    GroupStatus status;

    @Inject
    Leadership leadership;

    void register(@Observes Startup startup) {
        if (config.group().isEmpty()) {
            return;
        }
        registry.gauge(Metadata.builder().withName("tdkvs_group_leading")
                .withDescription("1 while this master leads its group and may answer as its leader, else 0").build(),
                () -> leadership.mayAnswer() ? 1 : 0);
        for (GroupConfig.Member member : config.group().get().members()) {
            for (Gauge gauge : GAUGES) {
                registry.gauge(Metadata.builder().withName(gauge.name()).withDescription(gauge.description()).build(),
                        () -> status.member(member.name()).map(gauge.value()::applyAsLong).orElse(-1L),
                        new Tag("member", member.name()));
            }
        }
    }

    private record Gauge(String name, String description, ToLongFunction<MemberView> value) {
    }
}
