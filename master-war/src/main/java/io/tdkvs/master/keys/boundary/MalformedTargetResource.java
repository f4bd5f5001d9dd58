package io.tdkvs.master.keys.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.tdkvs.master.keys.entity.InvalidKeyException;
import io.tdkvs.master.keys.entity.InvalidKeyException.Problem;

/** Where {@link RequestTargetGuard} sends a target with a malformed percent-escape outside a key: 400. */
@Path(RequestTargets.MALFORMED)
@ApplicationScoped
public class MalformedTargetResource {

    @GET
    @Operation(hidden = true)
    public void get() {
        refuse();
    }

    @HEAD
    @Operation(hidden = true)
    public void head() {
        refuse();
    }

    @PUT
    @Operation(hidden = true)
    public void put() {
        refuse();
    }

    @POST
    @Operation(hidden = true)
    public void post() {
        refuse();
    }

    @DELETE
    @Operation(hidden = true)
    public void delete() {
        refuse();
    }

    private static void refuse() {
        throw new InvalidKeyException(Problem.MALFORMED,
                "the request target has a malformed percent-escape (expected %XX with two hex digits)");
    }
}
