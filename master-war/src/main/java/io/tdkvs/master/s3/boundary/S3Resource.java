package io.tdkvs.master.s3.boundary;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.tdkvs.master.errors.StoreException;
import io.tdkvs.master.group.boundary.LeaderForwarding;
import io.tdkvs.master.keys.control.OpenValue;
import io.tdkvs.master.keys.control.ValueStore;
import io.tdkvs.master.keys.entity.Attributes;
import io.tdkvs.master.keys.entity.Key;
import io.tdkvs.master.keys.entity.MetaKey;
import io.tdkvs.master.lifecycle.ServingGate;
import io.tdkvs.master.metrics.control.StoreMetrics;
import io.tdkvs.master.s3.control.ObjectParts;
import io.tdkvs.master.s3.control.Payload;
import io.tdkvs.master.s3.control.S3Auth;
import io.tdkvs.master.s3.control.S3Buckets;
import io.tdkvs.master.s3.control.S3Listing;
import io.tdkvs.master.s3.control.S3Uploads;
import io.tdkvs.master.s3.entity.Upload;
import io.tdkvs.master.s3.entity.Bucket;
import io.tdkvs.master.s3.entity.S3Error;
import io.tdkvs.master.s3.entity.S3Exception;
import io.tdkvs.master.s3.signature.Authenticated;
import io.tdkvs.protocol.ByteRange;
import io.tdkvs.runtime.ResponseStreams;

/**
 * The S3 endpoint, path style, on its own port: every request of that port arrives here (see
 * {@link S3Targets}), is authenticated (Signature Version 4) and dispatched by method, bucket, key and
 * sub-resource. An object {@code k} of bucket {@code b} is the key {@code b/k} of the index.
 */
@Path("_s3")
@ApplicationScoped
public class S3Resource {

    /** S3's own limit on user metadata: names and values together. */
    static final int MAX_METADATA_BYTES = 2048;
    /** A DeleteObjects document names at most 1000 keys of at most 1024 bytes: this leaves room for their escapes. */
    static final int MAX_DELETE_DOCUMENT = 4 << 20;
    private static final String DEFAULT_TYPE = "binary/octet-stream";
    /**
     * The headers of a write that S3 keeps with the object and answers with when it is read; they are kept
     * among its metadata as {@code :<name>} (a user metadata name never begins with a colon).
     */
    static final List<String> STORED_HEADERS = List.of("cache-control", "content-disposition", "content-encoding",
            "content-language", "expires");
    private static final String STORED = ":";
    /** What a read may ask its answer to say instead of what was stored ({@code response-<header>=}), as presigned links do. */
    private static final List<String> OVERRIDES = List.of("content-type", "content-language", "expires", "cache-control",
            "content-disposition", "content-encoding");

    @Inject
    S3Auth auth;

    @Inject
    S3Buckets buckets;

    @Inject
    S3Listing listing;

    @Inject
    S3Uploads uploads;

    @Inject
    ValueStore values;

    @Inject
    ServingGate gate;

    @Inject
    StoreMetrics metrics;

    @GET
    @Operation(hidden = true)
    public Response get(@Context HttpServletRequest servlet) {
        S3Request request = request("GET", servlet);
        authenticate(request);
        if (request.bucket().isEmpty()) {
            return listBuckets();
        }
        Bucket bucket = buckets.existing(request.bucket().get());
        if (request.key().isPresent()) {
            if (request.has("uploadId")) {
                return listParts(request, bucket);
            }
            return getObject(request, bucket, true);
        }
        if (request.has("uploads")) {
            return listUploads(request, bucket);
        }
        if (request.has("location")) {
            String region = auth.settings().orElseThrow().region();
            // S3 answers its first region with an empty constraint
            return xml(Xml.document("LocationConstraint").text(region.equals("us-east-1") ? "" : region).end("LocationConstraint"));
        }
        for (String unsupported : List.of("versioning", "policy", "acl", "cors", "lifecycle", "tagging", "website",
                "encryption", "object-lock", "replication", "logging", "notification", "accelerate", "requestPayment", "ownershipControls",
                "publicAccessBlock")) {
            if (request.has(unsupported)) {
                return notImplemented(request, "GET ?" + unsupported);
            }
        }
        if (request.has("versions")) {
            return listVersions(request, bucket);
        }
        return listObjects(request, bucket);
    }

    @HEAD
    @Operation(hidden = true)
    public Response head(@Context HttpServletRequest servlet) {
        S3Request request = request("HEAD", servlet);
        authenticate(request);
        if (request.bucket().isEmpty()) {
            throw new S3Exception(S3Error.METHOD_NOT_ALLOWED, "HEAD of the service is not an S3 operation", "/");
        }
        Bucket bucket = buckets.existing(request.bucket().get());
        if (request.key().isEmpty()) {
            return Response.ok().header("x-amz-bucket-region", auth.settings().orElseThrow().region()).build();
        }
        return getObject(request, bucket, false);
    }

    @PUT
    @Consumes(MediaType.WILDCARD)
    @Operation(hidden = true)
    public Response put(InputStream body, @Context HttpServletRequest servlet) throws IOException {
        S3Request request = request("PUT", servlet);
        Authenticated signed = authenticate(request);
        if (request.bucket().isEmpty()) {
            throw new S3Exception(S3Error.METHOD_NOT_ALLOWED, "PUT of the service is not an S3 operation", "/");
        }
        if (request.key().isEmpty()) {
            if (!request.parameters().isEmpty() && !request.has("x-id")) {
                return notImplemented(request, "PUT ?" + String.join("&", request.parameters().keySet()));
            }
            body.transferTo(java.io.OutputStream.nullOutputStream()); // a CreateBucketConfiguration: the one region is ours
            Bucket created = buckets.create(request.bucket().get());
            return Response.ok().header("Location", "/" + created.name()).build();
        }
        Bucket bucket = buckets.existing(request.bucket().get());
        if (request.has("partNumber") || request.has("uploadId")) {
            return uploadPart(request, signed, bucket, body);
        }
        if (request.header("x-amz-copy-source").isPresent()) {
            return copyObject(request, bucket);
        }
        for (String unsupported : List.of("acl", "tagging", "retention", "legal-hold")) {
            if (request.has(unsupported)) {
                return notImplemented(request, "PUT ?" + unsupported);
            }
        }
        return putObject(request, signed, bucket, body);
    }

    @DELETE
    @Operation(hidden = true)
    public Response delete(@Context HttpServletRequest servlet) {
        S3Request request = request("DELETE", servlet);
        authenticate(request);
        if (request.bucket().isEmpty()) {
            throw new S3Exception(S3Error.METHOD_NOT_ALLOWED, "DELETE of the service is not an S3 operation", "/");
        }
        if (request.key().isEmpty()) {
            if (!request.parameters().isEmpty() && !request.has("x-id")) {
                return notImplemented(request, "DELETE ?" + String.join("&", request.parameters().keySet()));
            }
            buckets.delete(request.bucket().get());
            return Response.noContent().build();
        }
        Bucket bucket = buckets.existing(request.bucket().get());
        if (request.has("uploadId")) {
            uploads.forget(uploads.existing(request.parameter("uploadId").get(), bucket, request.key().get()));
            return Response.noContent().build();
        }
        values.deleteIfPresent(objectKey(bucket, request.key().get()));
        return Response.noContent().build();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(hidden = true)
    public Response post(InputStream body, @Context HttpServletRequest servlet) throws IOException {
        S3Request request = request("POST", servlet);
        Authenticated signed = authenticate(request);
        if (request.bucket().isPresent() && request.key().isEmpty() && request.has("delete")) {
            return deleteObjects(request, buckets.existing(request.bucket().get()), Payload.of(body, signed, request::header));
        }
        if (request.bucket().isPresent() && request.key().isPresent() && request.has("uploads")) {
            Bucket bucket = buckets.existing(request.bucket().get());
            objectKey(bucket, request.key().get());
            Upload upload = uploads.create(bucket, request.key().get(), request.header("content-type").map(String::strip).orElse(""),
                    metadata(request));
            return xml(Xml.document("InitiateMultipartUploadResult").element("Bucket", bucket.name()).element("Key", upload.key())
                    .element("UploadId", upload.id()).end("InitiateMultipartUploadResult"));
        }
        if (request.bucket().isPresent() && request.key().isPresent() && request.has("uploadId")) {
            Bucket bucket = buckets.existing(request.bucket().get());
            Upload upload = uploads.existing(request.parameter("uploadId").get(), bucket, request.key().get());
            byte[] document = document(request, Payload.of(body, signed, request::header));
            MetaKey object = uploads.complete(upload, bucket, CompleteRequest.parse(document, request.resource()));
            metrics.valueIn(object.size());
            return xml(Xml.document("CompleteMultipartUploadResult").element("Location", request.resource())
                    .element("Bucket", bucket.name()).element("Key", upload.key()).element("ETag", etag(object))
                    .end("CompleteMultipartUploadResult"));
        }
        return notImplemented(request, "this POST");
    }

    /** UploadPart, or UploadPartCopy with x-amz-copy-source (and x-amz-copy-source-range). */
    private Response uploadPart(S3Request request, Authenticated signed, Bucket bucket, InputStream body) {
        int number = partNumber(request)
                .orElseThrow(() -> new S3Exception(S3Error.INVALID_ARGUMENT, "an upload's part needs partNumber", request.resource()));
        Upload upload = uploads.existing(request.parameter("uploadId").orElse(""), bucket, request.key().get());
        if (request.header("x-amz-copy-source").isPresent()) {
            Source source = source(request, bucket);
            OpenValue value;
            try {
                value = values.open(source.key(), request.header("x-amz-copy-source-range"));
            } catch (StoreException e) {
                throw sourceFailure(e, source, request);
            }
            conditionsOfCopySource(request, value);
            if (request.header("x-amz-copy-source-range").isPresent() && value.range().isEmpty()) {
                value.stream().discard();
                throw new S3Exception(S3Error.INVALID_ARGUMENT, "x-amz-copy-source-range must be bytes=first-last", request.resource());
            }
            long length = value.range().map(range -> range.length()).orElse(value.size());
            MetaKey part;
            try (InputStream bytes = value.stream().input()) {
                part = uploads.putPart(upload, number, bytes, java.util.OptionalLong.of(length), Optional.empty());
            } catch (IOException e) {
                throw new S3Exception(S3Error.INTERNAL_ERROR, "the copy's source could not be read: " + e.getMessage(), request.resource());
            }
            return xml(Xml.document("CopyPartResult").time("LastModified", modified(part)).element("ETag", etag(part))
                    .end("CopyPartResult"));
        }
        Payload payload = Payload.of(body, signed, request::header);
        MetaKey part;
        try {
            part = uploads.putPart(upload, number, payload, payload.length(), payload.contentMd5Hex());
        } catch (StoreException e) {
            if (payload.failure().isPresent()) {
                throw new S3Exception(payload.failure().get().error(), payload.failure().get().getMessage(), request.resource());
            }
            throw e;
        }
        metrics.valueIn(part.size());
        return Response.ok().header("ETag", etag(part)).build();
    }

    private Response listParts(S3Request request, Bucket bucket) {
        Upload upload = uploads.existing(request.parameter("uploadId").get(), bucket, request.key().get());
        int after = request.parameter("part-number-marker").map(value -> {
            try {
                return Math.max(0, Integer.parseInt(value));
            } catch (NumberFormatException e) {
                throw new S3Exception(S3Error.INVALID_ARGUMENT, "part-number-marker is a number, not " + value, request.resource());
            }
        }).orElse(0);
        int max = Math.min(maxKeys(request, "max-parts"), S3Listing.MAX_KEYS);
        List<S3Uploads.Part> parts = uploads.parts(upload, after, max + 1);
        boolean truncated = parts.size() > max;
        List<S3Uploads.Part> page = parts.subList(0, Math.min(max, parts.size()));
        Xml xml = Xml.document("ListPartsResult").element("Bucket", bucket.name()).element("Key", upload.key())
                .element("UploadId", upload.id()).open("Initiator").element("ID", "tdkvs").element("DisplayName", "tdkvs")
                .close("Initiator").open("Owner").element("ID", "tdkvs").element("DisplayName", "tdkvs").close("Owner")
                .element("StorageClass", "STANDARD").element("PartNumberMarker", after)
                .element("NextPartNumberMarker", page.isEmpty() ? after : page.get(page.size() - 1).number())
                .element("MaxParts", max).element("IsTruncated", truncated);
        for (S3Uploads.Part part : page) {
            xml.open("Part").element("PartNumber", part.number()).time("LastModified", modified(part.meta()))
                    .element("ETag", etag(part.meta())).element("Size", part.meta().size()).close("Part");
        }
        return xml(xml.end("ListPartsResult"));
    }

    private Response listUploads(S3Request request, Bucket bucket) {
        String prefix = request.parameter("prefix").orElse("");
        int max = maxKeys(request, "max-uploads");
        String keyMarker = request.parameter("key-marker").orElse("");
        String idMarker = request.parameter("upload-id-marker").orElse("");
        List<Upload> all = uploads.underWay(bucket, prefix).stream()
                .filter(upload -> keyMarker.isEmpty() || upload.key().compareTo(keyMarker) > 0
                        || (upload.key().equals(keyMarker) && !idMarker.isEmpty() && upload.id().compareTo(idMarker) > 0))
                .toList();
        boolean truncated = all.size() > max;
        List<Upload> page = all.subList(0, Math.min(max, all.size()));
        Xml xml = Xml.document("ListMultipartUploadsResult").element("Bucket", bucket.name()).element("KeyMarker", keyMarker)
                .element("UploadIdMarker", idMarker).element("Prefix", prefix).element("MaxUploads", max)
                .element("IsTruncated", truncated);
        if (truncated) {
            xml.element("NextKeyMarker", page.get(page.size() - 1).key()).element("NextUploadIdMarker", page.get(page.size() - 1).id());
        }
        for (Upload upload : page) {
            xml.open("Upload").element("Key", upload.key()).element("UploadId", upload.id()).open("Initiator").element("ID", "tdkvs")
                    .element("DisplayName", "tdkvs").close("Initiator").open("Owner").element("ID", "tdkvs")
                    .element("DisplayName", "tdkvs").close("Owner").element("StorageClass", "STANDARD")
                    .time("Initiated", upload.started()).close("Upload");
        }
        return xml(xml.end("ListMultipartUploadsResult"));
    }

    /** A small XML document of a request body, checked as any body. */
    private static byte[] document(S3Request request, Payload body) throws IOException {
        byte[] document = body.readNBytes(MAX_DELETE_DOCUMENT + 1);
        if (document.length > MAX_DELETE_DOCUMENT) {
            throw new S3Exception(S3Error.MALFORMED_XML, "the request's document is longer than " + MAX_DELETE_DOCUMENT + " bytes",
                    request.resource());
        }
        body.read();
        if (body.failure().isPresent()) {
            throw new S3Exception(body.failure().get().error(), body.failure().get().getMessage(), request.resource());
        }
        return document;
    }

    // ------------------------------------------------------------------ operations

    private Response listBuckets() {
        Xml xml = Xml.document("ListAllMyBucketsResult").open("Owner").element("ID", "tdkvs").element("DisplayName", "tdkvs")
                .close("Owner").open("Buckets");
        for (Bucket bucket : buckets.all()) {
            xml.open("Bucket").element("Name", bucket.name()).time("CreationDate", bucket.created()).close("Bucket");
        }
        return xml(xml.close("Buckets").end("ListAllMyBucketsResult"));
    }

    private Response listObjects(S3Request request, Bucket bucket) {
        boolean v2 = request.parameter("list-type").map("2"::equals).orElse(false);
        String prefix = request.parameter("prefix").orElse("");
        String delimiter = request.parameter("delimiter").orElse("");
        boolean url = request.parameter("encoding-type").map(type -> {
            if (!type.equals("url")) {
                throw new S3Exception(S3Error.INVALID_ARGUMENT, "encoding-type must be url, not " + type, request.resource());
            }
            return true;
        }).orElse(false);
        int maxKeys = maxKeys(request);
        Optional<S3Listing.Position> start;
        if (v2) {
            start = request.parameter("continuation-token").map(token -> S3Listing.Position.ofToken(bucket, token))
                    .or(() -> request.parameter("start-after").filter(after -> !after.isEmpty())
                            .map(after -> S3Listing.Position.after(bucket, after)));
        } else {
            start = marker(request, "marker", bucket, delimiter);
        }
        S3Listing.Page page = listing.list(bucket, prefix, delimiter, start, maxKeys);
        Xml xml = Xml.document("ListBucketResult").element("Name", bucket.name()).element("Prefix", encode(prefix, url));
        if (v2) {
            request.parameter("continuation-token").ifPresent(token -> xml.element("ContinuationToken", token));
            request.parameter("start-after").ifPresent(after -> xml.element("StartAfter", encode(after, url)));
            xml.element("KeyCount", page.objects().size() + page.commonPrefixes().size());
        } else {
            xml.element("Marker", encode(request.parameter("marker").orElse(""), url));
        }
        pageHead(xml.element("MaxKeys", maxKeys), delimiter, url, page);
        if (page.truncated()) {
            if (v2) {
                xml.element("NextContinuationToken", page.next().orElseThrow().token());
            } else if (!delimiter.isEmpty()) {
                xml.element("NextMarker", encode(page.last().orElse(""), url));
            }
        }
        for (S3Listing.Listed object : page.objects()) {
            MetaKey meta = object.meta();
            xml.open("Contents").element("Key", encode(object.key(), url)).time("LastModified", modified(meta))
                    .element("ETag", etag(meta)).element("Size", meta.size()).element("StorageClass", "STANDARD");
            if (!v2) {
                xml.open("Owner").element("ID", "tdkvs").element("DisplayName", "tdkvs").close("Owner");
            }
            xml.close("Contents");
        }
        return xml(commonPrefixes(xml, page, url).end("ListBucketResult"));
    }

    /** Where a listing from a marker begins: after that key, or past a common prefix it names. */
    private static Optional<S3Listing.Position> marker(S3Request request, String parameter, Bucket bucket, String delimiter) {
        return request.parameter(parameter).filter(marker -> !marker.isEmpty())
                .map(marker -> !delimiter.isEmpty() && marker.endsWith(delimiter) ? S3Listing.Position.past(bucket, marker)
                        : S3Listing.Position.after(bucket, marker));
    }

    /** What every listing says after its MaxKeys: its delimiter, its encoding, whether it is truncated. */
    private static Xml pageHead(Xml xml, String delimiter, boolean url, S3Listing.Page page) {
        if (!delimiter.isEmpty()) {
            xml.element("Delimiter", encode(delimiter, url));
        }
        if (url) {
            xml.element("EncodingType", "url");
        }
        return xml.element("IsTruncated", page.truncated());
    }

    private static Xml commonPrefixes(Xml xml, S3Listing.Page page, boolean url) {
        for (String common : page.commonPrefixes()) {
            xml.open("CommonPrefixes").element("Prefix", encode(common, url)).close("CommonPrefixes");
        }
        return xml;
    }

    /** ListObjectVersions of an unversioned bucket: each object is its one version, {@code null}. */
    private Response listVersions(S3Request request, Bucket bucket) {
        String prefix = request.parameter("prefix").orElse("");
        String delimiter = request.parameter("delimiter").orElse("");
        boolean url = request.parameter("encoding-type").map("url"::equals).orElse(false);
        int maxKeys = maxKeys(request);
        Optional<S3Listing.Position> start = marker(request, "key-marker", bucket, delimiter);
        S3Listing.Page page = listing.list(bucket, prefix, delimiter, start, maxKeys);
        Xml xml = Xml.document("ListVersionsResult").element("Name", bucket.name()).element("Prefix", encode(prefix, url))
                .element("KeyMarker", encode(request.parameter("key-marker").orElse(""), url))
                .element("VersionIdMarker", request.parameter("version-id-marker").orElse("")).element("MaxKeys", maxKeys);
        pageHead(xml, delimiter, url, page);
        if (page.truncated()) {
            xml.element("NextKeyMarker", encode(page.last().orElse(""), url)).element("NextVersionIdMarker", "null");
        }
        for (S3Listing.Listed object : page.objects()) {
            MetaKey meta = object.meta();
            xml.open("Version").element("Key", encode(object.key(), url)).element("VersionId", "null").element("IsLatest", true)
                    .time("LastModified", modified(meta)).element("ETag", etag(meta)).element("Size", meta.size())
                    .element("StorageClass", "STANDARD").open("Owner").element("ID", "tdkvs").element("DisplayName", "tdkvs")
                    .close("Owner").close("Version");
        }
        return xml(commonPrefixes(xml, page, url).end("ListVersionsResult"));
    }

    /** DeleteObjects: up to 1000 keys named in an XML document; each deleted, or the reason it was not. */
    private Response deleteObjects(S3Request request, Bucket bucket, Payload body) throws IOException {
        byte[] document = document(request, body);
        DeleteRequest delete = DeleteRequest.parse(document, request.resource());
        Xml xml = Xml.document("DeleteResult");
        for (String name : delete.keys()) {
            try {
                values.deleteIfPresent(objectKey(bucket, name));
                if (!delete.quiet()) {
                    xml.open("Deleted").element("Key", name).close("Deleted");
                }
            } catch (RuntimeException e) {
                S3Exception error = S3Answers.s3(e);
                xml.open("Error").element("Key", name).element("Code", error.code()).element("Message", error.getMessage())
                        .close("Error");
            }
        }
        return xml(xml.end("DeleteResult"));
    }

    /** CopyObject: the value of {@code x-amz-copy-source} stored again under this key, with its metadata or the request's. */
    private Response copyObject(S3Request request, Bucket bucket) {
        Source source = source(request, bucket);
        Bucket from = source.bucket();
        String fromKey = source.name();
        String directive = request.header("x-amz-metadata-directive").map(String::strip).orElse("COPY");
        if (!directive.equals("COPY") && !directive.equals("REPLACE")) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "x-amz-metadata-directive is COPY or REPLACE, not " + directive,
                    request.resource());
        }
        if (directive.equals("COPY") && from.name().equals(bucket.name()) && fromKey.equals(request.key().get())) {
            throw new S3Exception(S3Error.INVALID_REQUEST, "a copy of an object onto itself must change its metadata "
                    + "(x-amz-metadata-directive: REPLACE)", request.resource());
        }
        OpenValue value;
        try {
            value = values.open(source.key(), Optional.empty());
        } catch (StoreException e) {
            throw sourceFailure(e, source, request);
        }
        conditionsOfCopySource(request, value);
        Attributes attributes = value.meta().attributes();
        boolean replace = directive.equals("REPLACE");
        String contentType = replace ? request.header("content-type").map(String::strip).orElse("") : attributes.contentType();
        Map<String, String> metadata = replace ? metadata(request) : attributes.metadata();
        ValueStore.Stored stored;
        try (InputStream bytes = value.stream().input()) {
            stored = values.put(objectKey(bucket, request.key().get()), bytes, java.util.OptionalLong.of(value.size()), contentType,
                    metadata);
        } catch (IOException e) {
            throw new S3Exception(S3Error.INTERNAL_ERROR, "the copy's source could not be read: " + e.getMessage(), request.resource());
        }
        metrics.valueIn(stored.meta().size());
        return xml(Xml.document("CopyObjectResult").time("LastModified", modified(stored.meta())).element("ETag", etag(stored.meta()))
                .end("CopyObjectResult"));
    }

    /** The object an {@code x-amz-copy-source} names: {@code [/]bucket/key[?versionId=null]}, percent-encoded. */
    private record Source(Bucket bucket, String name, Key key) {
    }

    private Source source(S3Request request, Bucket bucket) {
        String source = request.header("x-amz-copy-source").orElseThrow().strip();
        int query = source.indexOf('?');
        if (query >= 0) {
            String version = source.substring(query + 1);
            if (!version.equals("versionId=null")) {
                throw new S3Exception(S3Error.INVALID_ARGUMENT, "a copy source has no version but null: " + version, request.resource());
            }
            source = source.substring(0, query);
        }
        String decoded = S3Request.decode(source.startsWith("/") ? source.substring(1) : source);
        int slash = decoded.indexOf('/');
        if (slash <= 0 || slash == decoded.length() - 1) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "x-amz-copy-source must be bucket/key, not " + source, request.resource());
        }
        Bucket from = buckets.existing(decoded.substring(0, slash));
        String name = decoded.substring(slash + 1);
        return new Source(from, name, objectKey(from, name));
    }

    private static RuntimeException sourceFailure(StoreException e, Source source, S3Request request) {
        String path = "/" + source.bucket().name() + "/" + source.name();
        if (e.reason() == io.tdkvs.master.errors.Reason.NO_SUCH_KEY) {
            return new S3Exception(S3Error.NO_SUCH_KEY, "no such object: " + path, path);
        }
        if (e.reason() == io.tdkvs.master.errors.Reason.RANGE_OUTSIDE_VALUE) {
            return new S3Exception(S3Error.INVALID_RANGE, e.getMessage(), request.resource());
        }
        return e;
    }

    private Response putObject(S3Request request, Authenticated signed, Bucket bucket, InputStream body) {
        Key key = objectKey(bucket, request.key().get());
        Map<String, String> metadata = metadata(request);
        String contentType = request.header("content-type").map(String::strip).orElse("");
        Payload payload = Payload.of(body, signed, request::header);
        conditionsOfWrite(request, key);
        ValueStore.Stored stored;
        try {
            stored = values.put(key, payload, payload.length(), payload.contentMd5Hex(), contentType, metadata);
        } catch (StoreException e) {
            if (payload.failure().isPresent()) {
                throw new S3Exception(payload.failure().get().error(), payload.failure().get().getMessage(), request.resource());
            }
            throw e;
        }
        metrics.valueIn(stored.meta().size());
        return Response.ok().header("ETag", etag(stored.meta())).build();
    }

    /** {@code If-None-Match: *} (create only) and {@code If-Match: <etag>} (replace only that value) of a PutObject. */
    private void conditionsOfWrite(S3Request request, Key key) {
        Optional<String> ifNoneMatch = request.header("if-none-match").map(String::strip);
        Optional<String> ifMatch = request.header("if-match").map(String::strip);
        if (ifNoneMatch.isEmpty() && ifMatch.isEmpty()) {
            return;
        }
        Optional<MetaKey> now = current(key);
        if (ifNoneMatch.isPresent()) {
            if (!ifNoneMatch.get().equals("*")) {
                throw new S3Exception(S3Error.NOT_IMPLEMENTED, "a PutObject takes If-None-Match: * only", request.resource());
            }
            if (now.isPresent()) {
                throw new S3Exception(S3Error.PRECONDITION_FAILED, "the object exists (If-None-Match: *)", request.resource());
            }
        }
        if (ifMatch.isPresent()) {
            if (now.isEmpty()) {
                throw new S3Exception(S3Error.NO_SUCH_KEY, "no such object (If-Match)", request.resource());
            }
            if (!matches(ifMatch.get(), etag(now.get()))) {
                throw new S3Exception(S3Error.PRECONDITION_FAILED, "the object's ETag is " + etag(now.get()) + " (If-Match)",
                        request.resource());
            }
        }
    }

    private Optional<MetaKey> current(Key key) {
        try {
            return Optional.of(values.meta(key));
        } catch (StoreException e) {
            if (e.reason() == io.tdkvs.master.errors.Reason.NO_SUCH_KEY) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private Response getObject(S3Request request, Bucket bucket, boolean withBody) {
        Key key = objectKey(bucket, request.key().get());
        if (request.has("uploadId")) {
            return notImplemented(request, "a read of an upload's part");
        }
        Optional<Integer> part = partNumber(request);
        if (part.isPresent() && request.header("range").isPresent()) {
            throw new S3Exception(S3Error.INVALID_REQUEST, "a read takes a Range or a partNumber, not both", request.resource());
        }
        try {
            if (!withBody) {
                MetaKey meta = values.meta(key);
                gate.requireServing();
                Optional<Response> refused = conditionsOfRead(request, meta);
                if (refused.isPresent()) {
                    return refused.get();
                }
                Optional<ByteRange> range = part.flatMap(number -> ObjectParts.range(meta, number, request.resource()));
                return overridden(objectHeaders(ranged(range, meta.size()), meta), request).header("x-amz-mp-parts-count",
                        part.isPresent() && meta.attributes().parts() > 0 ? meta.attributes().parts() : null).build();
            }
            OpenValue value = part.isPresent()
                    ? values.open(key, meta -> ObjectParts.range(meta, part.get(), request.resource()))
                    : values.open(key, request.header("range"));
            try {
                gate.requireServing();
                Optional<Response> refused = conditionsOfRead(request, value.meta());
                if (refused.isPresent()) {
                    value.stream().discard();
                    return refused.get();
                }
            } catch (RuntimeException e) {
                value.stream().discard();
                throw e;
            }
            StreamingOutput body = ResponseStreams.reported("the value of key " + key, out -> value.stream().copyTo(out, metrics::valueOut));
            int parts = value.meta().attributes().parts();
            return overridden(objectHeaders(ranged(value.range(), value.size()).entity(body), value.meta()), request)
                    .header("x-amz-mp-parts-count", part.isPresent() && parts > 0 ? parts : null).build();
        } catch (StoreException e) {
            if (e.reason() == io.tdkvs.master.errors.Reason.NO_SUCH_KEY) {
                throw new S3Exception(S3Error.NO_SUCH_KEY, "no such object", request.resource());
            }
            if (e.reason() == io.tdkvs.master.errors.Reason.RANGE_OUTSIDE_VALUE) {
                throw new S3Exception(S3Error.INVALID_RANGE, e.getMessage(), request.resource());
            }
            throw e;
        }
    }

    /** {@code 206} with the range's {@code Content-Range} and length, or {@code 200} with the whole value's. */
    private static Response.ResponseBuilder ranged(Optional<ByteRange> range, long size) {
        return range.isPresent()
                ? Response.status(206).header("Content-Range", range.get().contentRange(size)).header("Content-Length", range.get().length())
                : Response.ok().header("Content-Length", size);
    }

    /** The {@code partNumber} parameter, 1 to 10,000; empty when absent. */
    private static Optional<Integer> partNumber(S3Request request) {
        return request.parameter("partNumber").map(value -> {
            try {
                int n = Integer.parseInt(value);
                if (n >= 1 && n <= Upload.MAX_PARTS) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "partNumber is 1 to " + Upload.MAX_PARTS + ", not " + value,
                    request.resource());
        });
    }

    /**
     * The conditions on the source of a copy ({@code x-amz-copy-source-if-match}, {@code -if-none-match},
     * {@code -if-modified-since}, {@code -if-unmodified-since}), weighed as a read's: one that fails is
     * {@code 412 PreconditionFailed}, and the source is let go.
     */
    private static void conditionsOfCopySource(S3Request request, OpenValue source) {
        failedCondition(request, "x-amz-copy-source-", source.meta()).ifPresent(failed -> {
            source.stream().discard();
            throw new S3Exception(S3Error.PRECONDITION_FAILED, failed.why(), request.resource());
        });
    }

    /** A read's conditions: {@code 412 PreconditionFailed}, or the {@code 304 Not Modified} answer, or none. */
    private Optional<Response> conditionsOfRead(S3Request request, MetaKey meta) {
        Optional<FailedCondition> failed = failedCondition(request, "", meta);
        if (failed.isPresent() && failed.get().precondition()) {
            throw new S3Exception(S3Error.PRECONDITION_FAILED, failed.get().why(), request.resource());
        }
        return failed.map(notModified -> objectHeaders(Response.notModified(), meta).build());
    }

    /** A condition that failed: If-Match or If-Unmodified-Since ({@code precondition}), else If-None-Match or If-Modified-Since. */
    private record FailedCondition(boolean precondition, String why) {
    }

    /**
     * The first of the conditions named {@code prefix + "if-match"} etc. that fails, in RFC 9110's order:
     * If-Match, If-Unmodified-Since (when no If-Match), If-None-Match, If-Modified-Since (when no If-None-Match).
     */
    private static Optional<FailedCondition> failedCondition(S3Request request, String prefix, MetaKey meta) {
        String etag = etag(meta);
        Instant modified = modified(meta).truncatedTo(ChronoUnit.SECONDS);
        Optional<String> ifMatch = request.header(prefix + "if-match");
        if (ifMatch.isPresent()) {
            if (!matches(ifMatch.get(), etag)) {
                return Optional.of(new FailedCondition(true, "the ETag is " + etag + " (" + prefix + "if-match)"));
            }
        } else {
            Optional<Instant> since = date(request.header(prefix + "if-unmodified-since"));
            if (since.isPresent() && modified.isAfter(since.get())) {
                return Optional.of(new FailedCondition(true, "modified after " + prefix + "if-unmodified-since"));
            }
        }
        Optional<String> ifNoneMatch = request.header(prefix + "if-none-match");
        if (ifNoneMatch.isPresent()) {
            if (matches(ifNoneMatch.get(), etag)) {
                return Optional.of(new FailedCondition(false, "the ETag is " + etag + " (" + prefix + "if-none-match)"));
            }
        } else {
            Optional<Instant> since = date(request.header(prefix + "if-modified-since"));
            if (since.isPresent() && !modified.isAfter(since.get())) {
                return Optional.of(new FailedCondition(false, "not modified after " + prefix + "if-modified-since"));
            }
        }
        return Optional.empty();
    }

    private static Response.ResponseBuilder objectHeaders(Response.ResponseBuilder answer, MetaKey meta) {
        Attributes attributes = meta.attributes();
        answer.header("ETag", etag(meta)).header("Last-Modified", HttpDate.format(modified(meta)))
                .header("Accept-Ranges", "bytes")
                .header("Content-Type", attributes.contentType().isEmpty() ? DEFAULT_TYPE : attributes.contentType());
        attributes.metadata().forEach((name, value) -> answer.header(name.startsWith(STORED) ? name.substring(STORED.length())
                : "x-amz-meta-" + name, value));
        return answer;
    }

    /** The headers a read asked for with {@code response-<header>=} parameters, in place of the stored ones. */
    private static Response.ResponseBuilder overridden(Response.ResponseBuilder answer, S3Request request) {
        for (String header : OVERRIDES) {
            request.parameter("response-" + header).ifPresent(value -> answer.header(header, null).header(header, value));
        }
        return answer;
    }

    // ------------------------------------------------------------------ helpers

    /**
     * The request as S3 signed it, from the servlet request itself: a method parameter is the request, where
     * an injected field of this application-wide bean would be a proxy that looks it up on every call.
     */
    private S3Request request(String method, HttpServletRequest servlet) {
        if (!S3Targets.arrived(servlet, auth.settings())) {
            throw new NotFoundException(); // the S3 endpoint answers on its own port only (or relayed from a member's)
        }
        String[] original = S3Targets.original(servlet.getQueryString());
        if (original == null) {
            throw new NotFoundException();
        }
        boolean relayed = servlet.getLocalPort() != auth.settings().get().port();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(servlet.getHeaderNames())) {
            if (relayed && name.equalsIgnoreCase("host")) {
                headers.put(name, List.of(servlet.getHeader(LeaderForwarding.FORWARDED_HOST))); // as the client signed it
            } else {
                headers.put(name, Collections.list(servlet.getHeaders(name)));
            }
        }
        return S3Request.of(method, original[0], original[1], headers);
    }

    private Authenticated authenticate(S3Request request) {
        return auth.verify(request.signed());
    }

    private static Key objectKey(Bucket bucket, String key) {
        if (key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 1024) {
            throw new S3Exception(S3Error.KEY_TOO_LONG, "an object key is at most 1024 bytes", "/" + bucket.name());
        }
        return Key.of(bucket.keyPrefix() + key);
    }

    /** A Content-Encoding without the {@code aws-chunked} of a streamed upload's body, which is not the object's. */
    static String withoutAwsChunked(String encoding) {
        return java.util.Arrays.stream(encoding.split(",")).map(String::strip)
                .filter(token -> !token.isEmpty() && !token.equalsIgnoreCase("aws-chunked")).collect(java.util.stream.Collectors.joining(","));
    }

    private static Map<String, String> metadata(S3Request request) {
        Map<String, String> metadata = new LinkedHashMap<>();
        int bytes = 0;
        for (Map.Entry<String, List<String>> header : request.headers().entrySet()) {
            if (header.getKey().startsWith("x-amz-meta-")) {
                String name = header.getKey().substring("x-amz-meta-".length());
                String value = String.join(",", header.getValue());
                metadata.put(name, value);
                bytes += name.length() + value.length();
            }
        }
        if (bytes > MAX_METADATA_BYTES) {
            throw new S3Exception(S3Error.METADATA_TOO_LARGE, "user metadata is at most " + MAX_METADATA_BYTES + " bytes, not "
                    + bytes, request.resource());
        }
        for (String header : STORED_HEADERS) {
            request.header(header).map(value -> header.equals("content-encoding") ? withoutAwsChunked(value) : value.strip())
                    .filter(value -> !value.isEmpty()).ifPresent(value -> metadata.put(STORED + header, value));
        }
        return metadata;
    }

    /** S3's ETag: the MD5 of a value stored in one request; of a value indexed without one, a tag that is no MD5. */
    static String etag(MetaKey meta) {
        Attributes attributes = meta.attributes();
        if (attributes.hasMd5()) {
            return "\"" + attributes.etag() + "\"";
        }
        return "\"" + String.format("%08x%016x", meta.crc32c(), meta.generation()) + "-1\"";
    }

    private static Instant modified(MetaKey meta) {
        return Instant.ofEpochMilli(meta.attributes().modified());
    }

    /** Whether an If-Match or If-None-Match list names the ETag (or is {@code *}). */
    private static boolean matches(String header, String etag) {
        for (String tag : header.split(",")) {
            String t = tag.strip();
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.equals("*") || t.equals(etag) || ("\"" + t + "\"").equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static Optional<Instant> date(Optional<String> header) {
        if (header.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ZonedDateTime.parse(header.get().strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty(); // RFC 9110: a date that does not parse is ignored
        }
    }

    private static int maxKeys(S3Request request) {
        return maxKeys(request, "max-keys");
    }

    private static int maxKeys(S3Request request, String parameter) {
        return request.parameter(parameter).map(value -> {
            try {
                int n = Integer.parseInt(value);
                if (n >= 0) {
                    return Math.min(n, S3Listing.MAX_KEYS);
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            throw new S3Exception(S3Error.INVALID_ARGUMENT, parameter + " must be a whole number from 0, not " + value,
                    request.resource());
        }).orElse(S3Listing.MAX_KEYS);
    }

    /** A key or prefix as a listing with {@code encoding-type=url} writes it. */
    private static String encode(String text, boolean url) {
        if (!url) {
            return text;
        }
        StringBuilder encoded = new StringBuilder();
        for (byte b : text.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'
                    || c == '~' || c == '/') {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return encoded.toString();
    }

    private static Response notImplemented(S3Request request, String what) {
        throw new S3Exception(S3Error.NOT_IMPLEMENTED, what + " is not implemented by tdkvs yet", request.resource());
    }

    private static Response xml(String document) {
        return Response.ok(document, "application/xml").build();
    }
}
