package io.tdkvs.master.keys.boundary;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.tdkvs.master.lifecycle.ServingGate;
import io.tdkvs.master.meta.control.BucketStore;
import io.tdkvs.master.s3.entity.Bucket;

/** {@code GET /admin/buckets}: the S3 buckets by name; bucket {@code b} holds the keys that begin with {@code b/}. */
@Path("admin/buckets")
@ApplicationScoped
@Tag(ref = "admin")
public class BucketsResource {

    @Inject
    BucketStore buckets;

    @Inject
    ServingGate gate;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The S3 buckets", description = "Their names, in order; bucket b holds the keys that begin with b/.")
    public List<String> buckets() {
        gate.requireServing();
        return buckets.all().stream().map(Bucket::name).sorted().toList();
    }
}
