package io.tdkvs.master.admin.boundary;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.tdkvs.config.VolumeUrl;
import io.tdkvs.master.errors.Reason;
import io.tdkvs.master.errors.StoreException;
import io.tdkvs.master.group.control.GroupStatus;
import io.tdkvs.master.group.entity.GroupView;
import io.tdkvs.master.lifecycle.ServingGate;
import io.tdkvs.master.lifecycle.TopologyChanges;
import io.tdkvs.master.meta.control.MetaStore;
import io.tdkvs.master.meta.control.TopologyStore;
import io.tdkvs.master.migration.control.Migrator;
import io.tdkvs.master.migration.entity.MigrationStatus;
import io.tdkvs.master.repair.control.Verifier;
import io.tdkvs.master.s3.control.UploadExpiry;
import io.tdkvs.master.topology.control.Cluster;
import io.tdkvs.master.topology.entity.Topology;
import io.tdkvs.master.volumes.control.VolumeHealth;
import io.tdkvs.master.volumes.control.VolumeMonitor;
import io.tdkvs.protocol.VolumeStatus;

/**
 * What the master is doing: whether it serves, its volumes, its keys, the migration, the last verify,
 * the keys only a volume holds (read by anyone); and changes on a running master, for the holder of
 * the config's token: adding, draining and removing volumes (answered 202 with the migration's
 * status, which {@code GET /admin/migration} then follows), a verify, and an expiry of multipart uploads.
 */
@Path("admin")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(ref = "admin")
public class AdminResource {

    private static final String VOLUME_EXAMPLE = "{\"url\": \"http://127.0.0.1:3004\"}";

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

    @Inject
    VolumeMonitor monitor;

    @Inject
    Verifier verifier;

    @Inject
    GroupStatus groupStatus;

    @Inject
    TopologyStore topologies;

    @Inject
    UploadExpiry uploadExpiry;

    /**
     * One volume as the status shows it.
     *
     * @param up          whether it answered when last asked (every few seconds); null until asked
     * @param blobs       the blob files it holds; -1 while unknown
     * @param usableBytes room left for values; -1 while unknown
     * @param damaged     blobs it found damaged and still holds; -1 while unknown
     * @param scrub       what its scrub has done since it started; null while unknown
     * @param problem     why it is down, or null
     */
    public record VolumeView(int id, String url, String state, int bucket, Boolean up, long blobs, long usableBytes, long damaged,
                             VolumeStatus.Scrub scrub, String problem) {
    }

    /**
     * The master's status.
     *
     * @param keys     keys in the index; -1 while it is not open
     * @param replicas the copies of each value the cluster keeps; 0 while no topology is known
     * @param group    the group of masters, for a member of one
     */
    public record Status(boolean serving, String state, long keys, int replicas, List<VolumeView> volumes, boolean settled,
                         MigrationStatus migration, GroupView group) {
    }

    @GET
    @Path("status")
    @Operation(summary = "The master's status", description = "Whether it serves (and why not), its keys, the copies of "
            + "each value it keeps, its volumes "
            + "(state, placement bucket, whether each answers, its blobs, room left, damaged blobs, scrub), whether the topology is settled, the migration; "
            + "for a member of a group of masters, the group: each member's role, URL, whether it answers and how far it "
            + "is behind the leader.")
    public Status status() {
        Optional<Topology> topology = knownTopology();
        List<VolumeView> volumes = topology.map(Topology::volumes).orElse(List.of()).stream().map(volume -> {
            Optional<VolumeHealth> health = monitor.health(volume.url());
            return new VolumeView(volume.id(), volume.url().value(), volume.state().name().toLowerCase(Locale.ROOT),
                    volume.bucket(), health.map(VolumeHealth::up).orElse(null), health.map(VolumeHealth::blobs).orElse(-1L),
                    health.map(VolumeHealth::usableBytes).orElse(-1L), health.map(VolumeHealth::damaged).orElse(-1L),
                    health.map(VolumeHealth::scrub).orElse(null), health.map(VolumeHealth::problem).orElse(null));
        }).toList();
        return new Status(gate.serving(), gate.why(), keys(), topology.map(Topology::replicas).orElse(0), volumes,
                topology.map(Topology::settled).orElse(false), migrator.status(), groupStatus.view().orElse(null));
    }

    /** The topology the leader works with; a member that does not lead reads its replica's, if it has one. */
    private Optional<Topology> knownTopology() {
        try {
            return Optional.of(cluster.topology());
        } catch (StoreException starting) {
            try {
                return topologies.load();
            } catch (StoreException closed) {
                return Optional.empty();
            }
        }
    }

    private long keys() {
        try {
            return metaKeys.count();
        } catch (StoreException closed) {
            return -1;
        }
    }

    @GET
    @Path("token")
    @SecurityRequirement(name = "admin-token")
    @Operation(summary = "Check an admin token", description = "Answers 204 if the token is the config's, so that a client "
            + "(the console) can tell a wrong one before it asks for a change.")
    @APIResponse(responseCode = "204", description = "the token is right")
    @APIResponse(responseCode = "401", description = "no admin token, or a wrong one")
    @APIResponse(responseCode = "403", description = "the config sets no token: changes are off")
    public Response checkToken(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        token.check(authorization);
        return Response.noContent().build();
    }

    @GET
    @Path("migration")
    @Operation(summary = "The current (or last) migration", description = "state (idle, running, paused, done, failed), "
            + "moved/total keys, keys per second, ETA, the last problem.")
    public MigrationStatus migration() {
        return migrator.status();
    }

    @POST
    @Path("volumes")
    @Consumes(MediaType.WILDCARD)
    @SecurityRequirement(name = "admin-token")
    @Operation(summary = "Add a running volume", description = "Adds it to the cluster and moves onto it the keys "
            + "that now belong there, while the master serves. Update the config file to match before the next restart.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "volume", value = VOLUME_EXAMPLE)))
    @APIResponse(responseCode = "202", description = "the migration started; its status")
    @APIResponse(responseCode = "400", description = "the body is not {\"url\": \"http://host:port\"}")
    @APIResponse(responseCode = "401", description = "no admin token, or a wrong one")
    @APIResponse(responseCode = "403", description = "the config sets no token: changes are off")
    @APIResponse(responseCode = "409", description = "a migration runs, or the volume is already in (or was deleted)")
    @APIResponse(responseCode = "503", description = "the volume does not answer")
    public Response add(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
        token.check(authorization);
        return Response.accepted(changes.add(AdminRequest.parse(body))).build();
    }

    @POST
    @Path("volumes/remove")
    @Consumes(MediaType.WILDCARD)
    @SecurityRequirement(name = "admin-token")
    @Operation(summary = "Remove a dead volume", description = "Takes a volume that is gone for good out of the cluster at "
            + "once; the copies it held are re-created from the other volumes while the master serves. Keys it alone held "
            + "are lost: refused unless \"acceptLoss\" is true (GET /admin/volumes/lost lists them first). Remove it "
            + "from the config file before the next restart.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "volume", value = "{\"url\": \"http://127.0.0.1:3002\", \"acceptLoss\": false}")))
    @APIResponse(responseCode = "202", description = "the migration started; its status")
    @APIResponse(responseCode = "400", description = "the body is not {\"url\": \"http://host:port\", \"acceptLoss\": false}")
    @APIResponse(responseCode = "401", description = "no admin token, or a wrong one")
    @APIResponse(responseCode = "403", description = "the config sets no token: changes are off")
    @APIResponse(responseCode = "404", description = "the cluster has no such volume")
    @APIResponse(responseCode = "409", description = "a migration runs, too few volumes would be left, or keys would be lost")
    public Response remove(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
        token.check(authorization);
        AdminRequest.Removal removal = AdminRequest.parseRemoval(body);
        return Response.accepted(changes.remove(removal.url(), removal.acceptLoss())).build();
    }

    @POST
    @Path("replicas")
    @Consumes(MediaType.WILDCARD)
    @SecurityRequirement(name = "admin-token")
    @Operation(summary = "Change the copies of each value", description = "Adds or drops copies of every key through a "
            + "migration, while the master serves. Set replicas in the config file to match before the next restart.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "replicas", value = "{\"replicas\": 2}")))
    @APIResponse(responseCode = "202", description = "the migration started; its status")
    @APIResponse(responseCode = "400", description = "the body is not {\"replicas\": n}, or n is not 1 to the number of volumes")
    @APIResponse(responseCode = "401", description = "no admin token, or a wrong one")
    @APIResponse(responseCode = "403", description = "the config sets no token: changes are off")
    @APIResponse(responseCode = "409", description = "a migration runs, or the cluster already keeps that many")
    public Response replicas(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
        token.check(authorization);
        return Response.accepted(changes.replicas(AdminRequest.parseReplicas(body))).build();
    }

    /** The keys a removal of a volume would lose. */
    public record LostKeys(String volume, int count, List<String> keys) {
    }

    @GET
    @Path("volumes/lost")
    @Operation(summary = "The keys only a volume holds", description = "What removing it would lose: the keys whose "
            + "every copy is on it.")
    @APIResponse(responseCode = "200", description = "the volume, the count and the keys")
    @APIResponse(responseCode = "400", description = "url is not a volume URL")
    @APIResponse(responseCode = "404", description = "the cluster has no such volume")
    public LostKeys lost(@QueryParam("url") String url) {
        VolumeUrl volume = VolumeUrl.of(url == null ? "" : url).orElseThrow(() -> new StoreException(Reason.INVALID_CHANGE,
                "url=" + url + " is not a volume URL (expected ?url=http://host:port)"));
        Topology topology = cluster.topology();
        int id = topology.volume(volume).orElseThrow(() -> new StoreException(Reason.NO_SUCH_VOLUME, "volume " + volume
                + " is not part of the cluster")).id();
        List<String> keys = changes.onlyOn(topology, id).stream().map(entry -> entry.key().value()).toList();
        return new LostKeys(volume.value(), keys.size(), keys);
    }

    @GET
    @Path("verify")
    @Operation(summary = "The current (or last) verify", description = "state (idle, running, done, failed), the volumes "
            + "compared with the index, keys, copies checked, missing, damaged, unrepairable (no other copy), orphans removed "
            + "(counted as it goes), the repairs pending and the copies repaired.")
    public Verifier.Status verification() {
        return verifier.status();
    }

    @GET
    @Path("verify/{started}")
    @Operation(summary = "One verify, by the time it began", description = "The verify whose status gives this started "
            + "time (as POST /admin/verify answers it): the one running, or one of the last 16 ended since this master "
            + "started. A client follows its own verify this way, though another begins after it.")
    @APIResponse(responseCode = "200", description = "its status, as GET /admin/verify gives it")
    @APIResponse(responseCode = "404", description = "no verify this master knows of began then")
    public Verifier.Status verification(@PathParam("started") String started) {
        return verifier.status(started);
    }

    @POST
    @Path("verify")
    @Consumes(MediaType.WILDCARD)
    @SecurityRequirement(name = "admin-token")
    @Operation(summary = "Verify every volume against the index", description = "While the master serves: copies the "
            + "index names but their volume lacks or found damaged are re-created from good ones; blobs no key names are "
            + "removed. GET /admin/verify follows it.")
    @APIResponse(responseCode = "202", description = "the verify started; its status")
    @APIResponse(responseCode = "401", description = "no admin token, or a wrong one")
    @APIResponse(responseCode = "403", description = "the config sets no token: changes are off")
    @APIResponse(responseCode = "409", description = "a verify or a migration runs")
    public Response verify(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        token.check(authorization);
        return Response.accepted(verifier.start()).build();
    }

    /** What an expiry of multipart uploads removed. */
    public record Expired(int removed) {
    }

    @POST
    @Path("uploads/expire")
    @Consumes(MediaType.WILDCARD)
    @SecurityRequirement(name = "admin-token")
    @Operation(summary = "Remove incomplete multipart uploads", description = "Removes the S3 multipart uploads begun more "
            + "than olderThanSeconds ago, with their parts, and parts whose upload is gone, as the master does every ten "
            + "minutes for those older than s3UploadExpiryHours; 0 removes every upload under way.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "older than a day", value = AdminRequest.OLDER_THAN_EXAMPLE)))
    @APIResponse(responseCode = "200", description = "how many uploads and stray parts were removed")
    @APIResponse(responseCode = "400", description = "the body is not {\"olderThanSeconds\": n}, n from 0 up")
    @APIResponse(responseCode = "401", description = "no admin token, or a wrong one")
    @APIResponse(responseCode = "403", description = "the config sets no token: changes are off")
    public Expired expireUploads(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
        token.check(authorization);
        Duration olderThan = AdminRequest.parseOlderThan(body);
        gate.requireServing();
        return new Expired(uploadExpiry.expire(olderThan));
    }

    @POST
    @Path("volumes/drain")
    @Consumes(MediaType.WILDCARD)
    @SecurityRequirement(name = "admin-token")
    @Operation(summary = "Delete a volume", description = "Moves its keys to the others while the master serves, "
            + "then retires it. Remove it from the config file before the next restart.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "volume", value = VOLUME_EXAMPLE)))
    @APIResponse(responseCode = "202", description = "the migration started; its status")
    @APIResponse(responseCode = "400", description = "the body is not {\"url\": \"http://host:port\"}")
    @APIResponse(responseCode = "401", description = "no admin token, or a wrong one")
    @APIResponse(responseCode = "403", description = "the config sets no token: changes are off")
    @APIResponse(responseCode = "404", description = "the cluster has no such volume")
    @APIResponse(responseCode = "409", description = "a migration runs, the volume is being drained, or it is the last one")
    @APIResponse(responseCode = "503", description = "a volume involved does not answer")
    public Response drain(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
        token.check(authorization);
        return Response.accepted(changes.drain(AdminRequest.parse(body))).build();
    }
}
