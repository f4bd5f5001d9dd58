package io.tdkvs.volume.blobs.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.tdkvs.config.VolumeConfig;
import io.tdkvs.volume.blobs.control.BlobStore;

/** What the master (or an operator) asks to see that this volume answers and where it stores. */
@Path("status")
@ApplicationScoped
public class StatusResource {

    @Inject
    VolumeConfig config;

    @Inject
    BlobStore store;

    public record Status(String path, long usableBytes) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Status status() {
        return new Status(config.path().toString(), store.usableBytes());
    }
}
