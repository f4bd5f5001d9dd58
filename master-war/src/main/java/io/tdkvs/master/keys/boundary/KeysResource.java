package io.tdkvs.master.keys.boundary;

import java.io.InputStream;
import java.util.OptionalLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;

import io.tdkvs.master.keys.control.ValueStore;
import io.tdkvs.master.keys.entity.Key;
import io.tdkvs.master.lifecycle.ServingGate;
import io.tdkvs.master.volumes.control.BlobStream;

/**
 * The client API. {@code PUT /set/<key>} answers 201 for a new key and 204 for a replaced one;
 * {@code GET /get/<key>} the exact bytes with their Content-Length; {@code HEAD} the same without
 * the body; {@code DELETE /delete/<key>} 204; an absent key 404. Each also takes {@code ?key=}.
 */
@Path("")
@ApplicationScoped
public class KeysResource {

    @Inject
    ValueStore values;

    @Inject
    ServingGate gate;

    /** CDI's request-bound proxy: cheaper per request than a @Context parameter. */
    @Inject
    HttpServletRequest request;

    @PUT
    @Path("set{key: (/.*)?}")
    @Consumes(MediaType.WILDCARD)
    public Response set(@Context UriInfo uri, @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long length, InputStream body) {
        Key key = key("set");
        boolean created = values.put(key, body, length == null ? OptionalLong.empty() : OptionalLong.of(length));
        return created ? Response.created(uri.getBaseUri().resolve(Locations.of(key))).build()
                : Response.noContent().build();
    }

    @GET
    @Path("get{key: (/.*)?}")
    public Response get() {
        BlobStream value = values.open(key("get"));
        return Response.ok((StreamingOutput) value::copyTo, MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header(HttpHeaders.CONTENT_LENGTH, value.size())
                .build();
    }

    @HEAD
    @Path("get{key: (/.*)?}")
    public Response head() {
        long size = values.size(key("get"));
        return Response.ok().type(MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header(HttpHeaders.CONTENT_LENGTH, size)
                .build();
    }

    @DELETE
    @Path("delete{key: (/.*)?}")
    public Response delete() {
        values.delete(key("delete"));
        return Response.noContent().build();
    }

    /** The key as the client sent it: the raw target, not Jersey's re-encoded copy of it. */
    private Key key(String endpoint) {
        gate.requireServing();
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return RequestKey.parse(endpoint, path, request.getQueryString());
    }
}
