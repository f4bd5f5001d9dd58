package io.tdkvs.master.keys.boundary;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.tdkvs.master.errors.Reason;
import io.tdkvs.master.errors.StoreException;
import io.tdkvs.master.keys.entity.Attributes;
import io.tdkvs.master.keys.entity.Key;
import io.tdkvs.master.keys.entity.MetaKey;
import io.tdkvs.master.lifecycle.ServingGate;
import io.tdkvs.master.meta.control.MetaStore;
import io.tdkvs.master.topology.control.Cluster;
import io.tdkvs.master.topology.entity.Topology;

/** {@code GET /admin/key/<key>}: what the index knows of a key (its metakey), without reading the value. */
@Path("admin/key{key: (/.*)?}")
@ApplicationScoped
@Tag(ref = "admin")
public class KeyInfoResource {

    static final String ENDPOINT = "admin/key";

    @Inject
    MetaStore metaKeys;

    @Inject
    Cluster cluster;

    @Inject
    ServingGate gate;


    @Inject
    HttpServletRequest request;

    /**
     * A key as the index holds it.
     *
     * @param crc32c      the value's CRC32C, 8 hex digits
     * @param generation  the write that stored this value (blob files are named after it)
     * @param volumes     the volumes holding its copies, as URLs (a volume retired since: "volume <id>")
     * @param modified    when it was written, for values written through S3 or since the index keeps it; else null
     * @param contentType as given to S3; empty for values written through the native API
 * @param etag        S3's ETag (MD5, or MD5 of the parts' MD5s and their count); empty if the index keeps no MD5
     */
    public record KeyInfo(String key, long size, String crc32c, long generation, List<String> volumes, String modified,
                          String contentType, String etag, int parts, Map<String, String> metadata) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "What the index holds for a key", description = "Its size, CRC32C, generation, the volumes holding its "
            + "copies, and what S3 keeps with it (content type, ETag, parts, user metadata); the value is not read.")
    @Parameter(name = "key", in = ParameterIn.PATH, required = true, description = "the key, as /admin/key/<key> (or ?key=<key>)")
    @APIResponse(responseCode = "200", description = "the key's metakey")
    @APIResponse(responseCode = "404", description = "no value under this key")
    public KeyInfo info() {
        gate.requireServing();
        Key key = RequestKey.parse(ENDPOINT, KeysResource.rawPath(request), request.getQueryString());
        MetaKey meta = key.reserved() ? null : metaKeys.get(key).orElse(null);
        if (meta == null) {
            throw new StoreException(Reason.NO_SUCH_KEY, "no value under key " + key.value());
        }
        Topology topology = cluster.topology();
        List<String> volumes = meta.holders().stream().map(id -> topology.volume(id).map(volume -> volume.url().value())
                .orElse("volume " + id)).toList();
        Attributes attributes = meta.attributes();
        String modified = attributes.modified() > 0 ? Instant.ofEpochMilli(attributes.modified()).toString() : null;
        return new KeyInfo(key.value(), meta.size(), HexFormat.of().toHexDigits(meta.crc32c()), meta.generation(), volumes,
                modified, attributes.contentType(), attributes.etag(), attributes.parts(), attributes.metadata());
    }
}
