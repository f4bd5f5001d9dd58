package io.tdkvs.master.admin.boundary;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.tdkvs.master.lifecycle.ServingGate;
import io.tdkvs.master.meta.control.MetaStore;
import io.tdkvs.master.migration.control.Migrator;
import io.tdkvs.master.migration.entity.MigrationStatus;
import io.tdkvs.master.topology.control.Cluster;

/** What the master is doing: whether it serves, its volumes, its keys, the migration. Read-only. */
@Path("admin")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {

    @Inject
    ServingGate gate;

    @Inject
    Cluster cluster;

    @Inject
    MetaStore metaKeys;

    @Inject
    Migrator migrator;

    /** One volume as the status shows it. */
    public record VolumeView(int id, String url, String state, int bucket) {
    }

    /** The master's status. */
    public record Status(boolean serving, String state, long keys, List<VolumeView> volumes, MigrationStatus migration) {
    }

    @GET
    @Path("status")
    public Status status() {
        List<VolumeView> volumes = cluster.topology().volumes().stream()
                .map(v -> new VolumeView(v.id(), v.url().value(), v.state().name().toLowerCase(java.util.Locale.ROOT), v.bucket()))
                .toList();
        return new Status(gate.serving(), gate.why(), metaKeys.count(), volumes, migrator.status());
    }

    @GET
    @Path("migration")
    public MigrationStatus migration() {
        return migrator.status();
    }
}
