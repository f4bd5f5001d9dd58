package io.tdkvs.master.metrics.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.tdkvs.master.metrics.control.RequestHistory;

/** {@code GET /admin/history}: the last 15 minutes of the client API and the work since the start, for the console. */
@Path("admin/history")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(ref = "admin")
public class HistoryResource {

    @Inject
    RequestHistory history;

    @GET
    @Operation(summary = "The last 15 minutes", description = "Interval by interval (periodSeconds each, oldest first): value "
            + "bytes in and out, and per operation and status the requests, their p50 and p99 latency in milliseconds; and "
            + "the migrations and verifies that ended since the master started.")
    public RequestHistory.History history() {
        return history.history();
    }
}
