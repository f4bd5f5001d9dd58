package io.tdkvs.master.keys.boundary;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
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

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.tdkvs.master.keys.control.OpenValue;
import io.tdkvs.master.keys.control.ValueStore;
import io.tdkvs.master.keys.entity.InvalidKeyException;
import io.tdkvs.master.keys.entity.Key;
import io.tdkvs.master.lifecycle.ServingGate;
import io.tdkvs.master.metrics.control.StoreMetrics;
import io.tdkvs.runtime.ResponseStreams;

/**
 * The client API: {@code PUT /set/<key>}, {@code GET|HEAD /get/<key>}, {@code DELETE /delete/<key>}, each
 * also as {@code /<verb>?key=<key>}.
 */
@Path("")
@ApplicationScoped
@Tag(ref = "keys")
public class KeysResource {

    private static final String OCTETS = MediaType.APPLICATION_OCTET_STREAM;

    @Inject
    ValueStore values;

    @Inject
    ServingGate gate;

    @Inject
    StoreMetrics metrics;

    /** CDI's request-bound proxy: cheaper per request than a @Context parameter. */
    @Inject
    HttpServletRequest request;

    @PUT
    @Path("set{key: (/.*)?}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Store a value under a key", description = "The body is the value: any bytes, empty "
            + "included, streamed. It is answered once the value and its metakey are on stable storage.")
    @Parameter(name = "key", in = ParameterIn.PATH, required = true, description = "the key, as /set/<key> (or /set?key=<key>)")
    @RequestBody(content = @Content(mediaType = OCTETS, schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "201", description = "a new key; Location says where to read it")
    @APIResponse(responseCode = "204", description = "the key's value was replaced")
    @APIResponse(responseCode = "400", description = "no key, a malformed key, or an upload that broke off")
    @APIResponse(responseCode = "414", description = "a key longer than 8192 bytes")
    @APIResponse(responseCode = "503", description = "the volume receiving the value does not answer (named)")
    @APIResponse(responseCode = "507", description = "the volume receiving the value is full")
    public Response set(@Context UriInfo uri, @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long length, InputStream body) {
        Key key = key("set");
        ValueStore.Stored stored = values.put(key, body, length == null ? OptionalLong.empty() : OptionalLong.of(length));
        metrics.valueIn(stored.meta().size());
        return stored.created() ? Response.created(uri.getBaseUri().resolve(Locations.of(key))).build()
                : Response.noContent().build();
    }

    @GET
    @Path("get{key: (/.*)?}")
    @Operation(summary = "Read a value", description = "The exact bytes stored, streamed; a single byte range "
            + "(Range: bytes=a-b, a-, -n) is answered 206 with Content-Range.")
    @Parameter(name = "key", in = ParameterIn.PATH, required = true, description = "the key, as /get/<key> (or /get?key=<key>)")
    @Parameter(name = "Range", in = ParameterIn.HEADER, description = "optional: one byte range")
    @APIResponse(responseCode = "200", description = "the value",
            content = @Content(mediaType = OCTETS, schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "206", description = "the range asked for",
            content = @Content(mediaType = OCTETS, schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "404", description = "no value under this key")
    @APIResponse(responseCode = "416", description = "the range starts beyond the value")
    @APIResponse(responseCode = "503", description = "the volume holding the value does not answer (named)")
    public Response get(@HeaderParam("Range") String range) {
        Key key = key("get");
        OpenValue value = values.open(key, Optional.ofNullable(range));
        confirmRead(value);
        StreamingOutput body = ResponseStreams.reported("the value of key " + key,
                out -> value.stream().copyTo(out, metrics::valueOut));
        if (value.range().isPresent()) {
            return Response.status(Response.Status.PARTIAL_CONTENT).entity(body).type(OCTETS)
                    .header(HttpHeaders.CONTENT_LENGTH, value.range().get().length())
                    .header("Content-Range", value.range().get().contentRange(value.size()))
                    .header("Accept-Ranges", "bytes")
                    .build();
        }
        return Response.ok(body, OCTETS)
                .header(HttpHeaders.CONTENT_LENGTH, value.size())
                .header("Accept-Ranges", "bytes")
                .build();
    }

    @HEAD
    @Path("get{key: (/.*)?}")
    @Operation(summary = "Look a value up", description = "As GET, without the value: its length and type.")
    public Response head() {
        long size = values.size(key("get"));
        gate.requireServing();
        return Response.ok().type(OCTETS)
                .header(HttpHeaders.CONTENT_LENGTH, size)
                .header("Accept-Ranges", "bytes")
                .build();
    }

    @DELETE
    @Path("delete{key: (/.*)?}")
    @Operation(summary = "Delete a value", description = "Answered once the key's removal is on stable storage.")
    @Parameter(name = "key", in = ParameterIn.PATH, required = true, description = "the key, as /delete/<key> (or /delete?key=<key>)")
    @APIResponse(responseCode = "204", description = "deleted")
    @APIResponse(responseCode = "404", description = "no value under this key")
    public Response delete() {
        values.delete(key("delete"));
        return Response.noContent().build();
    }

    /**
     * A read is answered only if this master still led when it had read the metakey: a leader cut off
     * from its group (whose lease ran out meanwhile) may have missed later writes.
     */
    private void confirmRead(OpenValue value) {
        try {
            gate.requireServing();
        } catch (RuntimeException e) {
            try {
                value.stream().close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** The key as the client sent it: the raw target, not Jersey's re-encoded copy of it. */
    private Key key(String endpoint) {
        gate.requireServing();
        Key key = RequestKey.parse(endpoint, rawPath(request), request.getQueryString());
        if (key.reserved()) {
            throw new InvalidKeyException(InvalidKeyException.Problem.MALFORMED, "keys that begin with a NUL byte and \"tdkvs/\" "
                    + "are the store's own (the parts of S3 uploads)");
        }
        return key;
    }

    static String rawPath(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }
}
