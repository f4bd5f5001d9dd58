package io.tdkvs.master.admin.boundary;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.tdkvs.master.lifecycle.ServingGate;
import io.tdkvs.master.lifecycle.TopologyChanges;
import io.tdkvs.master.meta.control.MetaStore;
import io.tdkvs.master.migration.control.Migrator;
import io.tdkvs.master.migration.entity.MigrationStatus;
import io.tdkvs.master.topology.control.Cluster;

/**
 * What the master is doing: whether it serves, its volumes, its keys, the migration (read by
 * anyone); and changes to its volumes on a running master, for the holder of the config's token:
 * <pre>
 * POST /admin/volumes        {"url": "http://host:port"}   adds a running volume, rebalances onto it
 * POST /admin/volumes/drain  {"url": "http://host:port"}   deletes a volume: drains its keys to the others
 * </pre>
 * Both answer 202 with the migration's status, which {@code GET /admin/migration} then follows.
 */
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

    @Inject
    TopologyChanges changes;

    @Inject
    AdminToken token;

    /** One volume as the status shows it. */
    public record VolumeView(int id, String url, String state, int bucket) {
    }

    /** The master's status. */
    public record Status(boolean serving, String state, long keys, List<VolumeView> volumes, boolean settled,
                         MigrationStatus migration) {
    }

    @GET
    @Path("status")
    public Status status() {
        List<VolumeView> volumes = cluster.topology().volumes().stream()
                .map(v -> new VolumeView(v.id(), v.url().value(), v.state().name().toLowerCase(java.util.Locale.ROOT), v.bucket()))
                .toList();
        return new Status(gate.serving(), gate.why(), metaKeys.count(), volumes, cluster.topology().settled(), migrator.status());
    }

    @GET
    @Path("migration")
    public MigrationStatus migration() {
        return migrator.status();
    }

    @POST
    @Path("volumes")
    @Consumes(MediaType.WILDCARD)
    public Response add(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
        token.check(authorization);
        return Response.accepted(changes.add(VolumeRequest.parse(body))).build();
    }

    @POST
    @Path("volumes/drain")
    @Consumes(MediaType.WILDCARD)
    public Response drain(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
        token.check(authorization);
        return Response.accepted(changes.drain(VolumeRequest.parse(body))).build();
    }
}
