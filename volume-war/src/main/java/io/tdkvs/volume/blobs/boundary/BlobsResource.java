package io.tdkvs.volume.blobs.boundary;

import java.io.BufferedWriter;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import io.tdkvs.volume.blobs.control.BlobStore;
import io.tdkvs.volume.blobs.control.BlobTransfer;
import io.tdkvs.volume.blobs.control.OpenBlob;
import io.tdkvs.volume.blobs.entity.BlobInfo;
import io.tdkvs.volume.blobs.entity.BlobName;
import io.tdkvs.volume.errors.Reason;
import io.tdkvs.volume.errors.VolumeException;

/**
 * One blob per name. A PUT carries the key it stores in the {@value #KEY} header (base64url of its
 * UTF-8 bytes) and answers the size and CRC32C it wrote, so the sender can check them.
 */
@Path("blobs")
@ApplicationScoped
public class BlobsResource {

    static final String KEY = "Tdkvs-Key";
    static final String SIZE = "Tdkvs-Size";
    static final String CRC32C = "Tdkvs-Crc32c";

    @Inject
    BlobStore store;

    @Inject
    BlobTransfer transfer;

    @PUT
    @Path("{name}")
    @Consumes(MediaType.WILDCARD)
    public Response put(@PathParam("name") String name, @HeaderParam(KEY) String key,
                        @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long length, InputStream body) {
        BlobInfo written = store.write(parse(name), decodeKey(key), body,
                length == null ? OptionalLong.empty() : OptionalLong.of(length));
        return Response.status(Response.Status.CREATED)
                .header(SIZE, written.size())
                .header(CRC32C, hex(written.crc32c()))
                .build();
    }

    @GET
    @Path("{name}")
    public Response get(@PathParam("name") String name) {
        OpenBlob blob = open(name);
        return Response.ok((StreamingOutput) blob::copyTo, MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header(HttpHeaders.CONTENT_LENGTH, blob.size())
                .header(CRC32C, hex(blob.crc32c()))
                .build();
    }

    @HEAD
    @Path("{name}")
    public Response head(@PathParam("name") String name) throws java.io.IOException {
        try (OpenBlob blob = open(name)) {
            return Response.ok().type(MediaType.APPLICATION_OCTET_STREAM_TYPE)
                    .header(HttpHeaders.CONTENT_LENGTH, blob.size())
                    .header(CRC32C, hex(blob.crc32c()))
                    .build();
        }
    }

    @DELETE
    @Path("{name}")
    public Response delete(@PathParam("name") String name) {
        if (!store.delete(parse(name))) {
            throw notFound(name);
        }
        return Response.noContent().build();
    }

    /** Every blob, one per line: {@code <name> <size> <crc32c hex> <key, base64url>}. */
    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public StreamingOutput list() {
        return out -> {
            BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.US_ASCII));
            store.forEach(blob -> {
                try {
                    writer.write(blob.name() + " " + blob.size() + " " + hex(blob.crc32c()) + " "
                            + Base64.getUrlEncoder().withoutPadding().encodeToString(blob.key()) + "\n");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            writer.flush();
        };
    }

    /** The named blobs (a name per line) as one stream of frames, see {@link BlobTransfer}. */
    @POST
    @Path("export")
    @Consumes(MediaType.TEXT_PLAIN)
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    public StreamingOutput export(String names) {
        List<BlobName> parsed = parseAll(names);
        return out -> transfer.send(parsed, out);
    }

    /** Stores every blob of a stream of frames; answers a line per frame: {@code <name> <size> <crc32c>} or {@code <name> absent}. */
    @POST
    @Path("import")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.TEXT_PLAIN)
    public String importAll(InputStream frames) {
        StringBuilder answer = new StringBuilder();
        for (BlobTransfer.Received blob : transfer.receive(frames)) {
            answer.append(blob.name()).append(blob.present() ? " " + blob.size() + " " + hex(blob.crc32c()) : " absent").append('\n');
        }
        return answer.toString();
    }

    /** Removes the named blobs (a name per line); answers how many there were. */
    @POST
    @Path("delete")
    @Consumes(MediaType.TEXT_PLAIN)
    @Produces(MediaType.TEXT_PLAIN)
    public String deleteAll(String names) {
        return store.deleteAll(parseAll(names)) + "\n";
    }

    private static List<BlobName> parseAll(String names) {
        return names.lines().map(String::strip).filter(line -> !line.isEmpty()).map(BlobsResource::parse).toList();
    }

    private OpenBlob open(String name) {
        return store.open(parse(name)).orElseThrow(() -> notFound(name));
    }

    private static BlobName parse(String name) {
        return BlobName.parse(name).orElseThrow(() -> new VolumeException(Reason.BAD_REQUEST,
                "\"" + name + "\" is not a blob name (<64 hex digits>.<16 hex digits>)"));
    }

    private static byte[] decodeKey(String key) {
        if (key == null) {
            throw new VolumeException(Reason.BAD_REQUEST, "the " + KEY + " header is required");
        }
        try {
            return Base64.getUrlDecoder().decode(key);
        } catch (IllegalArgumentException e) {
            throw new VolumeException(Reason.BAD_REQUEST, "the " + KEY + " header is not base64url");
        }
    }

    private static VolumeException notFound(String name) {
        return new VolumeException(Reason.NOT_FOUND, "no blob " + name);
    }

    private static String hex(int crc32c) {
        return String.format("%08x", crc32c);
    }
}
