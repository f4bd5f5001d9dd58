package io.tdkvs.volume.blobs.boundary;

import java.io.BufferedWriter;
import java.io.InputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import io.tdkvs.protocol.BlobInfo;
import io.tdkvs.protocol.BlobName;
import io.tdkvs.protocol.ByteRange;
import io.tdkvs.protocol.NameList;
import io.tdkvs.protocol.PartList;
import io.tdkvs.protocol.ProtocolException;
import io.tdkvs.protocol.VolumeApi;
import io.tdkvs.runtime.ResponseStreams;
import io.tdkvs.volume.blobs.control.BlobStore;
import io.tdkvs.volume.blobs.control.BlobTransfer;
import io.tdkvs.volume.blobs.control.OpenBlob;
import io.tdkvs.volume.errors.Reason;
import io.tdkvs.volume.errors.VolumeException;

/** The volume's blobs, as {@link VolumeApi} describes them. */
@Path(VolumeApi.BLOBS)
@ApplicationScoped
public class BlobsResource {

    @Inject
    BlobStore store;

    @Inject
    BlobTransfer transfer;

    @PUT
    @Path("{name}")
    @Consumes(MediaType.WILDCARD)
    public Response put(@PathParam("name") String name, @HeaderParam(VolumeApi.KEY) String key,
                        @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long length, InputStream body) {
        BlobInfo written = store.write(parse(name), key(key), body, length == null ? OptionalLong.empty() : OptionalLong.of(length));
        return created(written);
    }

    /** A blob made of the values of blobs held here, one after the other ({@link PartList}). */
    @POST
    @Path(VolumeApi.COMPOSE + "/{name}")
    @Consumes(MediaType.TEXT_PLAIN)
    public Response compose(@PathParam("name") String name, @HeaderParam(VolumeApi.KEY) String key, String parts) {
        List<PartList.Part> parsed;
        try {
            parsed = PartList.parse(parts);
        } catch (ProtocolException e) {
            throw new VolumeException(Reason.MALFORMED_BODY, e.getMessage());
        }
        return created(store.compose(parse(name), key(key), parsed));
    }

    private static Response created(BlobInfo written) {
        return Response.status(Response.Status.CREATED)
                .header(VolumeApi.SIZE, written.size())
                .header(VolumeApi.CRC32C, VolumeApi.crc32cHeader(written.crc32c()))
                .build();
    }

    private static byte[] key(String header) {
        if (header == null) {
            throw new VolumeException(Reason.INVALID_KEY, "the " + VolumeApi.KEY + " header is required");
        }
        try {
            return VolumeApi.keyFromHeader(header);
        } catch (ProtocolException e) {
            throw new VolumeException(Reason.INVALID_KEY, e.getMessage());
        }
    }

    /**
     * A value, checked against its CRC32C before any of it is sent (see {@link OpenBlob}); a range of one
     * checked within the last minute is sent without reading the whole value again, and one of a composed
     * blob after the segments that hold it are checked ({@link BlobStore#openForRange}).
     */
    @GET
    @Path("{name}")
    public Response get(@PathParam("name") String name, @HeaderParam("Range") String range) {
        OpenBlob blob;
        ByteRange.Request request;
        if (range == null) {
            blob = store.openChecked(parse(name)).orElseThrow(() -> notFound(name));
            request = new ByteRange.Whole();
        } else {
            BlobStore.RangeRead read = store.openForRange(parse(name), range).orElseThrow(() -> notFound(name));
            blob = read.blob();
            request = read.request();
        }
        if (request instanceof ByteRange.Unsatisfiable) {
            blob.closeQuietly();
            throw new VolumeException(Reason.RANGE_OUTSIDE_VALUE, "the range " + range + " is outside the value's "
                    + blob.size() + " bytes");
        }
        if (request instanceof ByteRange.Part part) {
            return Response.status(Response.Status.PARTIAL_CONTENT)
                    .entity(ResponseStreams.reported("blob " + name, out -> blob.copyTo(out, part.range())))
                    .type(MediaType.APPLICATION_OCTET_STREAM_TYPE)
                    .header(HttpHeaders.CONTENT_LENGTH, part.range().length())
                    .header("Content-Range", part.range().contentRange(blob.size()))
                    .header(VolumeApi.CRC32C, VolumeApi.crc32cHeader(blob.crc32c()))
                    .build();
        }
        return Response.ok(ResponseStreams.reported("blob " + name, blob::copyTo), MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header(HttpHeaders.CONTENT_LENGTH, blob.size())
                .header(VolumeApi.CRC32C, VolumeApi.crc32cHeader(blob.crc32c()))
                .build();
    }

    @HEAD
    @Path("{name}")
    public Response head(@PathParam("name") String name) {
        OpenBlob blob = open(name);
        blob.closeQuietly();
        return Response.ok().type(MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header(HttpHeaders.CONTENT_LENGTH, blob.size())
                .header(VolumeApi.CRC32C, VolumeApi.crc32cHeader(blob.crc32c()))
                .build();
    }

    @DELETE
    @Path("{name}")
    public Response delete(@PathParam("name") String name) {
        if (!store.delete(parse(name))) {
            throw notFound(name);
        }
        return Response.noContent().build();
    }

    /** Every blob, a line each. */
    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public StreamingOutput list() {
        return ResponseStreams.reported("the listing", out -> {
            BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.US_ASCII));
            store.forEach(blob -> {
                try {
                    writer.write(blob.line());
                    writer.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            writer.flush();
        });
    }

    /** The named blobs as one stream of frames. */
    @POST
    @Path(VolumeApi.EXPORT)
    @Consumes(MediaType.TEXT_PLAIN)
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    public StreamingOutput export(String names) {
        List<BlobName> parsed = parseAll(names);
        return ResponseStreams.reported(parsed.size() + " blobs", out -> transfer.send(parsed, out));
    }

    /** Stores every blob of a stream of frames; answers what it did with each. */
    @POST
    @Path(VolumeApi.IMPORT)
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.TEXT_PLAIN)
    public String importAll(InputStream frames) {
        return transfer.receive(frames).stream().map(imported -> imported.line() + "\n").collect(Collectors.joining());
    }

    /** Removes the named blobs; answers how many there were. */
    @POST
    @Path(VolumeApi.DELETE)
    @Consumes(MediaType.TEXT_PLAIN)
    @Produces(MediaType.TEXT_PLAIN)
    public String deleteAll(String names) {
        return NameList.deleted(store.deleteAll(parseAll(names)));
    }

    private static List<BlobName> parseAll(String names) {
        try {
            return NameList.parse(names);
        } catch (ProtocolException e) {
            throw new VolumeException(Reason.INVALID_NAME, e.getMessage());
        }
    }

    private OpenBlob open(String name) {
        return store.open(parse(name)).orElseThrow(() -> notFound(name));
    }

    private static BlobName parse(String name) {
        return BlobName.parse(name).orElseThrow(() -> new VolumeException(Reason.INVALID_NAME,
                "\"" + name + "\" is not a blob name (<64 hex digits>.<16 hex digits>)"));
    }

    private static VolumeException notFound(String name) {
        return new VolumeException(Reason.NO_SUCH_BLOB, "no blob " + name);
    }
}
