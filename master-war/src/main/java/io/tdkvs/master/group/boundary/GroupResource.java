package io.tdkvs.master.group.boundary;

import java.io.StringReader;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
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

import io.tdkvs.config.GroupConfig;
import io.tdkvs.master.admin.boundary.AdminToken;
import io.tdkvs.master.errors.Reason;
import io.tdkvs.master.errors.StoreException;
import io.tdkvs.master.group.control.GroupStatus;
import io.tdkvs.master.group.control.Membership;
import io.tdkvs.master.group.entity.GroupView;
import io.tdkvs.master.lifecycle.ServingGate;

/**
 * The group of masters: what each member does ({@code GET /admin/group}, also part of
 * {@code GET /admin/status}), and, for the holder of the admin token, a new member announced or a member
 * that is gone for good removed. A follower relays the changes to the leader, which makes them.
 */
@Path("admin/group")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(ref = "admin")
public class GroupResource {

    private static final String MEMBER_EXAMPLE = "{\"name\": \"master4\", \"url\": \"http://127.0.0.1:3030\", "
            + "\"replication\": \"127.0.0.1:3130\"}";
    private static final String NAME_EXAMPLE = "{\"name\": \"master3\"}";

    @Inject
    GroupStatus status;

    @Inject
    Membership membership;

    @Inject
    AdminToken token;

    @Inject
    ServingGate gate;

    @GET
    @Operation(summary = "The group of masters", description = "Each member's role (leader, follower, electing, unknown), "
            + "URL, whether it answers, how far it is behind the leader's log, and whether it has joined.")
    @APIResponse(responseCode = "200", description = "the group, as this master sees it")
    @APIResponse(responseCode = "404", description = "this master is on its own")
    public GroupView group() {
        return status.view().orElseThrow(() -> new StoreException(Reason.NO_GROUP, "this master is on its own: it has no "
                + "group of masters"));
    }

    @POST
    @Path("members")
    @Consumes(MediaType.WILDCARD)
    @SecurityRequirement(name = "admin-token")
    @Operation(summary = "Announce a new master", description = "Records its name, URL and replication address in the index; "
            + "it joins the group, and copies the index, when it starts with a config that lists the group and itself.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "member", value = MEMBER_EXAMPLE)))
    @APIResponse(responseCode = "202", description = "announced; the group as it is now")
    @APIResponse(responseCode = "400", description = "the body does not describe a member")
    @APIResponse(responseCode = "401", description = "no admin token, or a wrong one")
    @APIResponse(responseCode = "403", description = "the config sets no token: changes are off")
    @APIResponse(responseCode = "409", description = "a member already has that name or address")
    public Response add(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
        token.check(authorization);
        gate.requireServing();
        JsonObject request = object(body, MEMBER_EXAMPLE);
        try {
            membership.add(GroupConfig.Member.of(string(request, "name", MEMBER_EXAMPLE), string(request, "url", MEMBER_EXAMPLE),
                    string(request, "replication", MEMBER_EXAMPLE)));
        } catch (GroupConfig.InvalidMember e) {
            throw new StoreException(Reason.INVALID_CHANGE, "\"" + e.field() + "\": " + e.getMessage() + "; expected " + MEMBER_EXAMPLE);
        }
        status.refreshMembers();
        return Response.accepted(group()).build();
    }

    @POST
    @Path("members/remove")
    @Consumes(MediaType.WILDCARD)
    @SecurityRequirement(name = "admin-token")
    @Operation(summary = "Remove a master that is gone for good", description = "Takes it out of the group: the majority "
            + "then counts without it. It cannot rejoin under its name; a replacement is announced under a new one.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "member", value = NAME_EXAMPLE)))
    @APIResponse(responseCode = "202", description = "removed; the group as it is now")
    @APIResponse(responseCode = "400", description = "the body is not {\"name\": \"...\"}")
    @APIResponse(responseCode = "401", description = "no admin token, or a wrong one")
    @APIResponse(responseCode = "403", description = "the config sets no token: changes are off")
    @APIResponse(responseCode = "404", description = "the group has no such member")
    @APIResponse(responseCode = "409", description = "it is the leader, or too few members would be left")
    public Response remove(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
        token.check(authorization);
        gate.requireServing();
        membership.remove(string(object(body, NAME_EXAMPLE), "name", NAME_EXAMPLE));
        status.refreshMembers();
        return Response.accepted(group()).build();
    }

    private static JsonObject object(String body, String example) {
        try {
            JsonValue value = Json.createReader(new StringReader(body == null ? "" : body)).readValue();
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                throw new StoreException(Reason.INVALID_CHANGE, "the body must be a JSON object; expected " + example);
            }
            return value.asJsonObject();
        } catch (JsonException e) {
            throw new StoreException(Reason.INVALID_CHANGE, "the body is not JSON: " + e.getMessage() + "; expected " + example);
        }
    }

    private static String string(JsonObject object, String field, String example) {
        if (!(object.get(field) instanceof JsonString value) || value.getString().isBlank()) {
            throw new StoreException(Reason.INVALID_CHANGE, "the body has no \"" + field + "\" string; expected " + example);
        }
        return value.getString().strip();
    }
}
