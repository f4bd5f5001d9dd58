package io.tdkvs.volume.blobs.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.tdkvs.config.VolumeConfig;
import io.tdkvs.protocol.VolumeApi;
import io.tdkvs.protocol.VolumeStatus;
import io.tdkvs.volume.blobs.control.BlobStore;
import io.tdkvs.volume.blobs.control.Scrubber;

/** What the master (or an operator) asks to see that this volume answers, where it stores and how much. */
@Path(VolumeApi.STATUS)
@ApplicationScoped
public class StatusResource {

    @Inject
    VolumeConfig config;

    @Inject
    BlobStore store;

    @Inject
    Scrubber scrubber;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public VolumeStatus status() {
        return new VolumeStatus(config.path().toString(), store.usableBytes(), store.blobCount(), store.damagedCount(),
                store.damagedNames(), scrubber.progress());
    }
}
