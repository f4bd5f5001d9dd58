package io.tdkvs.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tdkvs.it.support.Admin;
import io.tdkvs.it.support.Cluster;
import io.tdkvs.it.support.Environment;
import io.tdkvs.it.support.Metrics;
import io.tdkvs.it.support.Reply;
import io.tdkvs.it.support.Store;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The S3 endpoint through the AWS SDK for Java v2 as applications use it (its default checksums and
 * streamed uploads on), on a cluster of two volumes that keeps two copies of each value: buckets,
 * objects with their ETag, type and metadata, ranges and conditions, listings with prefixes,
 * delimiters and pages, the same values through the native API, and the refusals of bad signatures.
 */
class S3IT {

    private static final String ACCESS_KEY = "TDKVSITKEY0000000001";
    private static final String SECRET = "it-secret-0123456789abcdef0123456789abcd";

    private static Cluster cluster;
    private static Store store;
    private static S3Client s3;
    private static int s3Port;

    @BeforeAll
    static void start() {
        s3Port = Environment.freePort();
        cluster = Cluster.start("s3", 2, "replicas: 2\ns3Port: " + s3Port + "\ns3Keys:\n  - accessKey: " + ACCESS_KEY
                + "\n    secretKey: " + SECRET + "\n");
        store = cluster.store();
        s3 = client(ACCESS_KEY, SECRET);
    }

    @AfterAll
    static void stop() {
        if (s3 != null) {
            s3.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static S3Client client(String accessKey, String secret) {
        return S3Client.builder().endpointOverride(URI.create("http://127.0.0.1:" + s3Port)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret)))
                .forcePathStyle(true).build();
    }

    @Test
    void bucketsAreMadeFoundListedAndRemovedOnceEmpty() {
        s3.createBucket(b -> b.bucket("photos"));
        assertThrows(BucketAlreadyOwnedByYouException.class, () -> s3.createBucket(b -> b.bucket("photos")));
        s3.headBucket(b -> b.bucket("photos"));
        List<String> names = s3.listBuckets().buckets().stream().map(Bucket::name).toList();
        assertTrue(names.contains("photos"), names::toString);
        assertEquals("", s3.getBucketLocation(b -> b.bucket("photos")).locationConstraintAsString());

        S3Exception invalid = assertThrows(S3Exception.class, () -> s3.createBucket(b -> b.bucket("sthree-reserved-prefix")));
        assertEquals("InvalidBucketName", invalid.awsErrorDetails().errorCode());
        assertEquals(400, invalid.statusCode());
        assertThrows(NoSuchBucketException.class, () -> s3.headBucket(b -> b.bucket("no-such-bucket")));
        assertThrows(NoSuchBucketException.class, () -> s3.putObject(b -> b.bucket("no-such-bucket").key("k"),
                RequestBody.fromString("v")));

        s3.putObject(b -> b.bucket("photos").key("one"), RequestBody.fromString("1"));
        S3Exception notEmpty = assertThrows(S3Exception.class, () -> s3.deleteBucket(b -> b.bucket("photos")));
        assertEquals("BucketNotEmpty", notEmpty.awsErrorDetails().errorCode());
        s3.deleteObject(b -> b.bucket("photos").key("one"));
        s3.deleteBucket(b -> b.bucket("photos"));
        assertThrows(NoSuchBucketException.class, () -> s3.deleteBucket(b -> b.bucket("photos")));
        assertTrue(s3.listBuckets().buckets().stream().noneMatch(bucket -> bucket.name().equals("photos")));
    }

    @Test
    void objectsKeepTheirBytesETagTypeAndMetadata() throws Exception {
        s3.createBucket(b -> b.bucket("objects"));
        for (int size : List.of(0, 1024, 5 * 1024 * 1024 + 17)) {
            byte[] value = bytes(size, size);
            String key = "dir/value of " + size + " bytes \u00e9";
            String etag = s3.putObject(b -> b.bucket("objects").key(key).contentType("text/x-test")
                    .metadata(Map.of("origin", "s3it", "size", Integer.toString(size))), RequestBody.fromBytes(value)).eTag();
            assertEquals("\"" + md5(value) + "\"", etag, "the ETag is the MD5 of " + size + " bytes");

            ResponseBytes<GetObjectResponse> read = s3.getObjectAsBytes(b -> b.bucket("objects").key(key));
            assertArrayEquals(value, read.asByteArray(), size + " bytes read back");
            assertEquals(etag, read.response().eTag());
            assertEquals("text/x-test", read.response().contentType());
            assertEquals(Map.of("origin", "s3it", "size", Integer.toString(size)), read.response().metadata());
            assertTrue(Math.abs(read.response().lastModified().getEpochSecond() - Instant.now().getEpochSecond()) < 120,
                    read.response().lastModified()::toString);

            HeadObjectResponse head = s3.headObject(b -> b.bucket("objects").key(key));
            assertEquals(size, head.contentLength());
            assertEquals(etag, head.eTag());
        }
        byte[] value = bytes(1000, 7);
        s3.putObject(b -> b.bucket("objects").key("ranged"), RequestBody.fromBytes(value));
        ResponseBytes<GetObjectResponse> part = s3.getObjectAsBytes(b -> b.bucket("objects").key("ranged").range("bytes=10-19"));
        assertArrayEquals(java.util.Arrays.copyOfRange(value, 10, 20), part.asByteArray());
        assertEquals("bytes 10-19/1000", part.response().contentRange());
        S3Exception beyond = assertThrows(S3Exception.class,
                () -> s3.getObjectAsBytes(b -> b.bucket("objects").key("ranged").range("bytes=5000-")));
        assertEquals(416, beyond.statusCode());
        assertEquals("InvalidRange", beyond.awsErrorDetails().errorCode());

        String etag = "\"" + md5(value) + "\"";
        String contentMd5 = java.util.Base64.getEncoder().encodeToString(HexFormat.of().parseHex(md5(value)));
        assertEquals(etag, s3.putObject(b -> b.bucket("objects").key("with md5").contentMD5(contentMd5), RequestBody.fromBytes(value))
                .eTag(), "a body with its Content-MD5 has it for its ETag");
        assertEquals(etag, s3.headObject(b -> b.bucket("objects").key("with md5")).eTag());
        String otherMd5 = java.util.Base64.getEncoder().encodeToString(HexFormat.of().parseHex(md5(new byte[1])));
        S3Exception badDigest = assertThrows(S3Exception.class, () -> s3.putObject(b -> b.bucket("objects").key("bad md5")
                .contentMD5(otherMd5), RequestBody.fromBytes(value)));
        assertEquals("BadDigest", badDigest.awsErrorDetails().errorCode());
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(b -> b.bucket("objects").key("bad md5")), "nothing stored");
        s3.deleteObject(b -> b.bucket("objects").key("with md5"));
        S3Exception notModified = assertThrows(S3Exception.class,
                () -> s3.getObjectAsBytes(b -> b.bucket("objects").key("ranged").ifNoneMatch(etag)));
        assertEquals(304, notModified.statusCode());
        S3Exception failed = assertThrows(S3Exception.class,
                () -> s3.getObjectAsBytes(b -> b.bucket("objects").key("ranged").ifMatch("\"0123\"")));
        assertEquals(412, failed.statusCode());
        S3Exception exists = assertThrows(S3Exception.class,
                () -> s3.putObject(b -> b.bucket("objects").key("ranged").ifNoneMatch("*"), RequestBody.fromString("no")));
        assertEquals(412, exists.statusCode());
        s3.putObject(b -> b.bucket("objects").key("ranged").ifMatch(etag), RequestBody.fromString("replaced"));
        assertEquals("replaced", s3.getObjectAsBytes(b -> b.bucket("objects").key("ranged")).asUtf8String());

        s3.deleteObject(b -> b.bucket("objects").key("ranged"));
        assertThrows(NoSuchKeyException.class, () -> s3.getObjectAsBytes(b -> b.bucket("objects").key("ranged")));
        s3.deleteObject(b -> b.bucket("objects").key("ranged")); // deleting what is not there is no error in S3
    }

    @Test
    void anObjectIsTheKeyBucketSlashKeyOfTheNativeApi() {
        s3.createBucket(b -> b.bucket("shared"));
        double putsBefore = Metrics.value(store, "tdkvs_requests_seconds_count", "operation=\"s3-put\"", "status=\"200\"");
        s3.putObject(b -> b.bucket("shared").key("from/s3"), RequestBody.fromString("written through S3"));
        assertEquals(putsBefore + 1, Metrics.value(store, "tdkvs_requests_seconds_count", "operation=\"s3-put\"", "status=\"200\""),
                "S3 requests count in the store's request figures");
        Reply nativeRead = store.get("shared/from/s3");
        assertEquals(200, nativeRead.status());
        assertEquals("written through S3", nativeRead.text());

        assertEquals(201, store.put("shared/from/native", "written natively".getBytes(StandardCharsets.UTF_8)).status());
        assertEquals("written natively", s3.getObjectAsBytes(b -> b.bucket("shared").key("from/native")).asUtf8String());
        List<String> keys = s3.listObjectsV2(b -> b.bucket("shared")).contents().stream().map(S3Object::key).toList();
        assertEquals(List.of("from/native", "from/s3"), keys);
    }

    @Test
    void listingsHavePrefixesDelimitersAndPages() {
        s3.createBucket(b -> b.bucket("listing"));
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            written.add(String.format("flat-%02d", i));
        }
        for (String dir : List.of("a/", "b/", "b/c/")) {
            for (int i = 0; i < 3; i++) {
                written.add(dir + "file " + i + " \u00fc+&<>");
            }
        }
        written.forEach(key -> s3.putObject(b -> b.bucket("listing").key(key), RequestBody.fromString(key)));
        List<String> sorted = written.stream().sorted(java.util.Comparator.comparing(k -> k.getBytes(StandardCharsets.UTF_8),
                java.util.Arrays::compareUnsigned)).toList();

        List<String> paged = new ArrayList<>();
        int pages = 0;
        for (ListObjectsV2Response page : s3.listObjectsV2Paginator(b -> b.bucket("listing").maxKeys(7))) {
            page.contents().forEach(object -> paged.add(object.key()));
            pages++;
        }
        assertEquals(sorted, paged, "every key once, in order, across pages of 7");
        assertEquals(5, pages, "34 keys, 7 a page");

        ListObjectsV2Response top = s3.listObjectsV2(b -> b.bucket("listing").delimiter("/"));
        assertEquals(List.of("a/", "b/"), top.commonPrefixes().stream().map(CommonPrefix::prefix).toList());
        assertEquals(25, top.contents().size());
        ListObjectsV2Response inB = s3.listObjectsV2(b -> b.bucket("listing").prefix("b/").delimiter("/"));
        assertEquals(List.of("b/c/"), inB.commonPrefixes().stream().map(CommonPrefix::prefix).toList());
        assertEquals(List.of("b/file 0 \u00fc+&<>", "b/file 1 \u00fc+&<>", "b/file 2 \u00fc+&<>"),
                inB.contents().stream().map(S3Object::key).toList());
        ListObjectsV2Response encoded = s3.listObjectsV2(b -> b.bucket("listing").prefix("a/").encodingType(EncodingType.URL));
        assertEquals(3, encoded.contents().size());
        assertEquals("a/file 0 \u00fc+&<>", encoded.contents().get(0).key(), "the SDK decodes what the listing encoded");
        List<String> afterFlat = s3.listObjectsV2(b -> b.bucket("listing").startAfter("flat-23").maxKeys(3)).contents().stream()
                .map(S3Object::key).toList();
        assertEquals(List.of("flat-24"), afterFlat);
        List<String> v1 = new ArrayList<>();
        String marker = "";
        for (boolean more = true; more; ) {
            String from = marker;
            software.amazon.awssdk.services.s3.model.ListObjectsResponse page = s3.listObjects(b -> b.bucket("listing").maxKeys(10)
                    .marker(from));
            page.contents().forEach(o -> v1.add(o.key()));
            more = page.isTruncated();
            marker = page.contents().get(page.contents().size() - 1).key();
        }
        assertEquals(sorted, v1, "ListObjects (v1) pages by marker");
        assertEquals(md5("flat-00".getBytes(StandardCharsets.UTF_8)), top.contents().get(0).eTag().replace("\"", ""));
    }

    @Test
    void aBadSignatureIsRefusedAndStoresNothing() throws Exception {
        s3.createBucket(b -> b.bucket("guarded"));
        try (S3Client wrongSecret = client(ACCESS_KEY, SECRET.replace('0', '1'));
             S3Client unknownKey = client("TDKVSNOSUCHKEY", SECRET)) {
            S3Exception mismatch = assertThrows(S3Exception.class,
                    () -> wrongSecret.putObject(b -> b.bucket("guarded").key("k"), RequestBody.fromString("v")));
            assertEquals(403, mismatch.statusCode());
            assertEquals("SignatureDoesNotMatch", mismatch.awsErrorDetails().errorCode());
            S3Exception unknown = assertThrows(S3Exception.class, () -> unknownKey.listBuckets());
            assertEquals("InvalidAccessKeyId", unknown.awsErrorDetails().errorCode());
        }
        HttpURLConnection anonymous = (HttpURLConnection) URI.create("http://127.0.0.1:" + s3Port + "/guarded/k").toURL()
                .openConnection(Proxy.NO_PROXY);
        anonymous.setRequestMethod("PUT");
        anonymous.setDoOutput(true);
        anonymous.getOutputStream().write("v".getBytes(StandardCharsets.UTF_8));
        assertEquals(403, anonymous.getResponseCode());
        String error = new String(anonymous.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(error.contains("<Code>AccessDenied</Code>"), error);
        assertEquals(0, s3.listObjectsV2(b -> b.bucket("guarded")).keyCount());
        assertEquals(404, store.get("guarded/k").status());
        assertEquals(404, store.send("GET", "/_s3?tdkvs-s3-path=/guarded", null).status(), "S3 answers on its own port only");
    }

    @Test
    void objectsAreCopiedDeletedManyAtOnceAndListedAsTheirOneVersion() {
        s3.createBucket(b -> b.bucket("copies"));
        s3.putObject(b -> b.bucket("copies").key("original").contentType("text/plain").metadata(Map.of("k", "v"))
                .cacheControl("max-age=60").contentDisposition("attachment; filename=\"original.txt\"").contentLanguage("en"),
                RequestBody.fromString("copied bytes"));
        s3.putObject(b -> b.bucket("copies").key("encoded").contentEncoding("gzip"), RequestBody.fromString("not really gzip"));
        assertEquals("gzip", s3.headObject(b -> b.bucket("copies").key("encoded")).contentEncoding(),
                "the body's aws-chunked is not the object's encoding");
        s3.deleteObject(b -> b.bucket("copies").key("encoded"));
        HeadObjectResponse original = s3.headObject(b -> b.bucket("copies").key("original"));
        assertEquals("max-age=60", original.cacheControl());
        assertEquals("attachment; filename=\"original.txt\"", original.contentDisposition());
        assertEquals("en", original.contentLanguage());
        assertEquals(Map.of("k", "v"), original.metadata(), "standard headers are no user metadata");
        GetObjectResponse asked = s3.getObjectAsBytes(b -> b.bucket("copies").key("original").responseCacheControl("no-cache")
                .responseContentType("application/x-asked")).response();
        assertEquals("no-cache", asked.cacheControl());
        assertEquals("application/x-asked", asked.contentType());
        assertEquals("en", asked.contentLanguage());
        String etag = s3.copyObject(b -> b.sourceBucket("copies").sourceKey("original").destinationBucket("copies")
                .destinationKey("dir/copy")).copyObjectResult().eTag();
        ResponseBytes<GetObjectResponse> copy = s3.getObjectAsBytes(b -> b.bucket("copies").key("dir/copy"));
        assertEquals("copied bytes", copy.asUtf8String());
        assertEquals(etag, copy.response().eTag());
        assertEquals(Map.of("k", "v"), copy.response().metadata(), "COPY keeps the metadata");
        String sourceTag = copy.response().eTag();
        s3.copyObject(b -> b.sourceBucket("copies").sourceKey("original").destinationBucket("copies").destinationKey("if-copy")
                .copySourceIfMatch(sourceTag).copySourceIfUnmodifiedSince(Instant.now().minusSeconds(3600)));
        assertEquals("copied bytes", s3.getObjectAsBytes(b -> b.bucket("copies").key("if-copy")).asUtf8String(),
                "If-Match holds: the copy is made, whatever the date says (as S3)");
        for (java.util.function.Consumer<software.amazon.awssdk.services.s3.model.CopyObjectRequest.Builder> condition : List.<
                java.util.function.Consumer<software.amazon.awssdk.services.s3.model.CopyObjectRequest.Builder>>of(
                b -> b.copySourceIfMatch("\"0123\""), b -> b.copySourceIfNoneMatch(sourceTag),
                b -> b.copySourceIfModifiedSince(Instant.now().plusSeconds(3600)),
                b -> b.copySourceIfUnmodifiedSince(Instant.now().minusSeconds(3600)))) {
            S3Exception refused = assertThrows(S3Exception.class, () -> s3.copyObject(b -> condition.accept(b.sourceBucket("copies")
                    .sourceKey("original").destinationBucket("copies").destinationKey("not-copied"))));
            assertEquals(412, refused.statusCode());
            assertEquals("PreconditionFailed", refused.awsErrorDetails().errorCode());
        }
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(b -> b.bucket("copies").key("not-copied")), "no copy was made");
        s3.deleteObject(b -> b.bucket("copies").key("if-copy"));
        assertEquals("max-age=60", copy.response().cacheControl(), "and the stored headers");
        s3.copyObject(b -> b.sourceBucket("copies").sourceKey("original").destinationBucket("copies").destinationKey("original")
                .metadataDirective(software.amazon.awssdk.services.s3.model.MetadataDirective.REPLACE).metadata(Map.of("k", "new")));
        assertEquals(Map.of("k", "new"), s3.headObject(b -> b.bucket("copies").key("original")).metadata(), "REPLACE onto itself");
        S3Exception self = assertThrows(S3Exception.class, () -> s3.copyObject(b -> b.sourceBucket("copies").sourceKey("original")
                .destinationBucket("copies").destinationKey("original")));
        assertEquals("InvalidRequest", self.awsErrorDetails().errorCode());
        assertThrows(NoSuchKeyException.class, () -> s3.copyObject(b -> b.sourceBucket("copies").sourceKey("missing")
                .destinationBucket("copies").destinationKey("x")));

        List<String> versions = s3.listObjectVersions(b -> b.bucket("copies")).versions().stream()
                .map(v -> v.key() + "@" + v.versionId() + (v.isLatest() ? " latest" : "")).toList();
        assertEquals(List.of("dir/copy@null latest", "original@null latest"), versions);

        List<software.amazon.awssdk.services.s3.model.ObjectIdentifier> all = new ArrayList<>();
        for (String key : List.of("dir/copy", "original", "never-written")) {
            all.add(software.amazon.awssdk.services.s3.model.ObjectIdentifier.builder().key(key).build());
        }
        software.amazon.awssdk.services.s3.model.DeleteObjectsResponse deleted = s3.deleteObjects(b -> b.bucket("copies")
                .delete(d -> d.objects(all)));
        assertEquals(List.of("dir/copy", "original", "never-written"), deleted.deleted().stream()
                .map(software.amazon.awssdk.services.s3.model.DeletedObject::key).toList());
        assertEquals(List.of(), deleted.errors());
        assertEquals(0, s3.listObjectsV2(b -> b.bucket("copies")).keyCount());
        s3.deleteBucket(b -> b.bucket("copies"));
    }

    @Test
    void aMultipartUploadMakesOneObjectOfItsPartsInOrder() {
        s3.createBucket(b -> b.bucket("multipart"));
        byte[] first = bytes(5 << 20, 1);
        byte[] second = bytes(5 << 20, 2);
        byte[] last = bytes(12345, 3);
        String id = s3.createMultipartUpload(b -> b.bucket("multipart").key("big object").contentType("video/x-test")
                .metadata(Map.of("camera", "one"))).uploadId();
        String e1 = s3.uploadPart(b -> b.bucket("multipart").key("big object").uploadId(id).partNumber(1), RequestBody.fromBytes(first))
                .eTag();
        String e3 = s3.uploadPart(b -> b.bucket("multipart").key("big object").uploadId(id).partNumber(3), RequestBody.fromBytes(last))
                .eTag();
        s3.putObject(b -> b.bucket("multipart").key("source"), RequestBody.fromBytes(second));
        String e2 = s3.uploadPartCopy(b -> b.sourceBucket("multipart").sourceKey("source").destinationBucket("multipart")
                .destinationKey("big object").uploadId(id).partNumber(2)).copyPartResult().eTag();
        assertEquals("\"" + md5(second) + "\"", e2);
        assertEquals(List.of(1, 2, 3), s3.listParts(b -> b.bucket("multipart").key("big object").uploadId(id)).parts().stream()
                .map(software.amazon.awssdk.services.s3.model.Part::partNumber).toList());
        assertEquals(List.of(id), s3.listMultipartUploads(b -> b.bucket("multipart")).uploads().stream()
                .map(software.amazon.awssdk.services.s3.model.MultipartUpload::uploadId).toList());
        jakarta.json.JsonObject verified = Admin.verify(store, Cluster.ADMIN_TOKEN, java.time.Duration.ofMinutes(2));
        assertEquals(3, verified.getJsonNumber("uploadParts").longValue(), verified::toString);
        assertEquals(first.length + second.length + last.length, verified.getJsonNumber("uploadBytes").longValue(), verified::toString);
        assertEquals(0, verified.getJsonNumber("missing").longValue() + verified.getJsonNumber("orphans").longValue(),
                "the parts' copies are whole and none is taken for an orphan: " + verified);
        assertEquals(List.of("source"), s3.listObjectsV2(b -> b.bucket("multipart")).contents().stream().map(S3Object::key).toList(),
                "parts are no objects");
        assertTrue(store.json("list").toString().contains("multipart/source") && !store.json("list").toString().contains("upload"),
                "nor native keys: " + store.json("list"));

        S3Exception order = assertThrows(S3Exception.class, () -> complete(id, part(2, e2), part(1, e1)));
        assertEquals("InvalidPartOrder", order.awsErrorDetails().errorCode());
        S3Exception wrong = assertThrows(S3Exception.class, () -> complete(id, part(1, e1), part(2, e3)));
        assertEquals("InvalidPart", wrong.awsErrorDetails().errorCode());
        S3Exception missing = assertThrows(S3Exception.class, () -> complete(id, part(1, e1), part(4, e3)));
        assertEquals("InvalidPart", missing.awsErrorDetails().errorCode(), "part 4 is not uploaded yet");
        String e4 = s3.uploadPart(b -> b.bucket("multipart").key("big object").uploadId(id).partNumber(4),
                RequestBody.fromString("a part left out")).eTag();
        S3Exception tooSmall = assertThrows(S3Exception.class, () -> complete(id, part(3, e3), part(4, e4)));
        assertEquals("EntityTooSmall", tooSmall.awsErrorDetails().errorCode());

        double joined = Metrics.value(store, "tdkvs_joins_in_place");
        String etag = complete(id, part(1, e1), part(2, e2), part(3, e3));
        assertEquals(joined + 1, Metrics.value(store, "tdkvs_joins_in_place"), "the volumes made the object of the parts they hold");
        java.io.ByteArrayOutputStream whole = new java.io.ByteArrayOutputStream();
        whole.writeBytes(first);
        whole.writeBytes(second);
        whole.writeBytes(last);
        MessageDigest etags = digest();
        for (byte[] part : List.of(first, second, last)) {
            etags.update(HexFormat.of().parseHex(md5(part)));
        }
        assertEquals("\"" + HexFormat.of().formatHex(etags.digest()) + "-3\"", etag);
        ResponseBytes<GetObjectResponse> read = s3.getObjectAsBytes(b -> b.bucket("multipart").key("big object"));
        assertArrayEquals(whole.toByteArray(), read.asByteArray());
        assertEquals(etag, read.response().eTag());
        assertEquals("video/x-test", read.response().contentType());
        assertEquals(Map.of("camera", "one"), read.response().metadata());
        assertThrows(software.amazon.awssdk.services.s3.model.NoSuchUploadException.class,
                () -> s3.listParts(b -> b.bucket("multipart").key("big object").uploadId(id)));
        readsByPartNumber(etag, List.of(first, second, last), whole.toByteArray(), second);
        for (int volume = 0; volume < 2; volume++) {
            assertArrayEquals(whole.toByteArray(), Store.blobValue("multipart/big object", cluster.volume(volume).uri()),
                    "copy " + volume + ", made of the parts the volume holds, which are removed as keys");
        }
        jakarta.json.JsonObject completed = Admin.verify(store, Cluster.ADMIN_TOKEN, java.time.Duration.ofMinutes(2));
        assertEquals(0, completed.getJsonNumber("uploadParts").longValue(), completed::toString);
        assertEquals(0, completed.getJsonNumber("missing").longValue() + completed.getJsonNumber("orphans").longValue()
                + completed.getJsonNumber("damaged").longValue(), "the object's copies are whole, its parts no orphans: " + completed);

        String lacking = s3.createMultipartUpload(b -> b.bucket("multipart").key("streamed")).uploadId();
        String l1 = s3.uploadPart(b -> b.bucket("multipart").key("streamed").uploadId(lacking).partNumber(1),
                RequestBody.fromBytes(first)).eTag();
        String l2 = s3.uploadPart(b -> b.bucket("multipart").key("streamed").uploadId(lacking).partNumber(2),
                RequestBody.fromBytes(last)).eTag();
        java.nio.file.Path lost = Store.blobFile("\u0000tdkvs/upload/" + lacking + "/00001", cluster.volume(0).uri());
        assertTrue(lost.toFile().delete(), "a volume lost its copy of part 1: " + lost);
        double streamed = Metrics.value(store, "tdkvs_joins_streamed");
        String again = s3.completeMultipartUpload(b -> b.bucket("multipart").key("streamed").uploadId(lacking)
                .multipartUpload(m -> m.parts(part(1, l1), part(2, l2)))).eTag();
        assertEquals(streamed + 1, Metrics.value(store, "tdkvs_joins_streamed"), "a volume lacked a part: the parts were streamed");
        byte[] joinedAgain = new byte[first.length + last.length];
        System.arraycopy(first, 0, joinedAgain, 0, first.length);
        System.arraycopy(last, 0, joinedAgain, first.length, last.length);
        ResponseBytes<GetObjectResponse> readAgain = s3.getObjectAsBytes(b -> b.bucket("multipart").key("streamed"));
        assertArrayEquals(joinedAgain, readAgain.asByteArray());
        assertEquals(again, readAgain.response().eTag());
        for (int volume = 0; volume < 2; volume++) {
            assertArrayEquals(joinedAgain, Store.blobValue("multipart/streamed", cluster.volume(volume).uri()), "copy " + volume);
        }

        String aborted = s3.createMultipartUpload(b -> b.bucket("multipart").key("dropped")).uploadId();
        s3.uploadPart(b -> b.bucket("multipart").key("dropped").uploadId(aborted).partNumber(1), RequestBody.fromString("gone"));
        s3.abortMultipartUpload(b -> b.bucket("multipart").key("dropped").uploadId(aborted));
        assertThrows(software.amazon.awssdk.services.s3.model.NoSuchUploadException.class, () -> s3.uploadPart(
                b -> b.bucket("multipart").key("dropped").uploadId(aborted).partNumber(2), RequestBody.fromString("late")));
        assertEquals(List.of(), s3.listMultipartUploads(b -> b.bucket("multipart")).uploads());
        assertEquals(400, store.get("\u0000tdkvs/upload/" + aborted + "/00001").status(), "the store's own keys are not clients'");
    }

    /**
     * An upload left incomplete is removed, with its parts on the volumes, once it is older than the expiry: the
     * master does it every ten minutes for those older than s3UploadExpiryHours, and POST /admin/uploads/expire
     * when an operator asks, for those older than the time given.
     */
    @Test
    void anUploadLeftIncompleteIsRemovedWithItsPartsWhenItExpires() {
        s3.createBucket(b -> b.bucket("expiry"));
        String id = s3.createMultipartUpload(b -> b.bucket("expiry").key("left")).uploadId();
        s3.uploadPart(b -> b.bucket("expiry").key("left").uploadId(id).partNumber(1), RequestBody.fromBytes(bytes(5 << 20, 7)));
        String part = "\u0000tdkvs/upload/" + id + "/00001";
        List<java.net.URI> holders = List.of(cluster.volume(0).uri(), cluster.volume(1).uri());
        for (java.net.URI volume : holders) {
            assertTrue(Store.blobKeys(volume).contains(part), "a copy of the part is on " + volume);
        }

        String token = Admin.bearer(Cluster.ADMIN_TOKEN);
        assertEquals(401, Admin.send(store, "uploads/expire", "{\"olderThanSeconds\": 0}", null).status());
        for (String bad : List.of("", "{}", "{\"olderThanSeconds\": -1}", "{\"olderThanSeconds\": 1.5}", "{\"olderThanSeconds\": \"0\"}")) {
            Reply refused = Admin.send(store, "uploads/expire", bad, token);
            assertEquals(400, refused.status(), () -> bad + ": " + refused);
            assertTrue(refused.text().contains("olderThanSeconds"), refused::toString);
        }
        Reply young = Admin.send(store, "uploads/expire", "{\"olderThanSeconds\": 3600}", token);
        assertEquals(200, young.status(), young::toString);
        assertEquals(List.of(id), s3.listMultipartUploads(b -> b.bucket("expiry")).uploads().stream()
                .map(software.amazon.awssdk.services.s3.model.MultipartUpload::uploadId).toList(), "an upload of a minute ago stays");

        Reply expired = Admin.send(store, "uploads/expire", "{\"olderThanSeconds\": 0}", token);
        assertEquals(200, expired.status(), expired::toString);
        assertTrue(jakarta.json.Json.createReader(new java.io.StringReader(expired.text())).readObject().getInt("removed") >= 1,
                expired::toString);
        assertEquals(List.of(), s3.listMultipartUploads(b -> b.bucket("expiry")).uploads());
        assertThrows(software.amazon.awssdk.services.s3.model.NoSuchUploadException.class, () -> s3.uploadPart(
                b -> b.bucket("expiry").key("left").uploadId(id).partNumber(2), RequestBody.fromString("late")));
        for (java.net.URI volume : holders) {
            assertFalse(Store.blobKeys(volume).contains(part), "the part's copy is gone from " + volume);
        }
        s3.deleteBucket(b -> b.bucket("expiry"));
    }

    /**
     * GetObject and HeadObject with partNumber read the parts of "big object" as they were uploaded, and part 1 of
     * the object "source" (stored in one request) is all of it; the SDK's multipart download, which asks for the
     * parts by number, reads the whole object back.
     */
    private static void readsByPartNumber(String etag, List<byte[]> parts, byte[] whole, byte[] source) {
        for (int n = 1; n <= parts.size(); n++) {
            int number = n;
            ResponseBytes<GetObjectResponse> part = s3.getObjectAsBytes(b -> b.bucket("multipart").key("big object").partNumber(number));
            assertArrayEquals(parts.get(n - 1), part.asByteArray(), "part " + n);
            assertEquals(parts.size(), part.response().partsCount());
            assertEquals(etag, part.response().eTag());
        }
        HeadObjectResponse head = s3.headObject(b -> b.bucket("multipart").key("big object").partNumber(3));
        assertEquals(parts.get(2).length, head.contentLength());
        assertEquals(3, head.partsCount());
        S3Exception beyond = assertThrows(S3Exception.class, () -> s3.getObjectAsBytes(b -> b.bucket("multipart").key("big object")
                .partNumber(4)));
        assertEquals(416, beyond.statusCode());
        assertEquals("InvalidPartNumber", beyond.awsErrorDetails().errorCode());
        S3Exception both = assertThrows(S3Exception.class, () -> s3.getObjectAsBytes(b -> b.bucket("multipart").key("big object")
                .partNumber(1).range("bytes=0-9")));
        assertEquals("InvalidRequest", both.awsErrorDetails().errorCode());
        ResponseBytes<GetObjectResponse> single = s3.getObjectAsBytes(b -> b.bucket("multipart").key("source").partNumber(1));
        assertArrayEquals(source, single.asByteArray());
        assertEquals(null, single.response().partsCount());

        AtomicInteger byNumber = new AtomicInteger();
        ExecutionInterceptor counter = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context,
                                        ExecutionAttributes attributes) {
                if (context.request() instanceof GetObjectRequest get && get.partNumber() != null) {
                    byNumber.incrementAndGet();
                }
            }
        };
        try (S3AsyncClient multipart = S3AsyncClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + s3Port)).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET)))
                .multipartEnabled(true).overrideConfiguration(c -> c.addExecutionInterceptor(counter)).build()) {
            byte[] downloaded = multipart.getObject(b -> b.bucket("multipart").key("big object"),
                    AsyncResponseTransformer.toBytes()).join().asByteArray();
            assertArrayEquals(whole, downloaded);
        }
        assertTrue(byNumber.get() >= parts.size(), "the SDK asked for the parts by number: " + byNumber.get() + " requests");
    }

    private static software.amazon.awssdk.services.s3.model.CompletedPart part(int number, String etag) {
        return software.amazon.awssdk.services.s3.model.CompletedPart.builder().partNumber(number).eTag(etag).build();
    }

    private static String complete(String id, software.amazon.awssdk.services.s3.model.CompletedPart... parts) {
        return s3.completeMultipartUpload(b -> b.bucket("multipart").key("big object").uploadId(id)
                .multipartUpload(m -> m.parts(parts))).eTag();
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aPresignedUrlReadsWithinItsExpiryWithoutOtherCredentials() throws Exception {
        s3.createBucket(b -> b.bucket("presigned"));
        s3.putObject(b -> b.bucket("presigned").key("shared file"), RequestBody.fromString("for a link"));
        try (software.amazon.awssdk.services.s3.presigner.S3Presigner presigner = software.amazon.awssdk.services.s3.presigner
                .S3Presigner.builder().endpointOverride(URI.create("http://127.0.0.1:" + s3Port)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET)))
                .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build()) {
            URI url = presigner.presignGetObject(p -> p.signatureDuration(java.time.Duration.ofMinutes(5))
                    .getObjectRequest(g -> g.bucket("presigned").key("shared file"))).url().toURI();
            HttpURLConnection get = (HttpURLConnection) url.toURL().openConnection(Proxy.NO_PROXY);
            assertEquals(200, get.getResponseCode());
            assertEquals("for a link", new String(get.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            HttpURLConnection tampered = (HttpURLConnection) URI.create(url.toString().replace("shared%20file", "other"))
                    .toURL().openConnection(Proxy.NO_PROXY);
            assertEquals(403, tampered.getResponseCode());
            // a HEAD has no body to carry the error: S3 answers the status alone, never the server's own page
            URI missing = presigner.presignHeadObject(p -> p.signatureDuration(java.time.Duration.ofMinutes(5))
                    .headObjectRequest(h -> h.bucket("presigned").key("no such file"))).url().toURI();
            HttpURLConnection head = (HttpURLConnection) missing.toURL().openConnection(Proxy.NO_PROXY);
            head.setRequestMethod("HEAD");
            assertEquals(404, head.getResponseCode());
            assertEquals("application/xml", head.getContentType());
            assertNotNull(head.getHeaderField("x-amz-request-id"));
        }
    }

    /**
     * The clients a user would run (aws, rclone, s3cmd, boto3; bench/s3-clients.sh installs those missing
     * from Debian's packages): copies of 0 B, 1 KiB and 200 MiB, syncs both ways, listings, deletes, every
     * byte read back checked.
     */
    @Test
    void theClientsPeopleUseWorkAgainstIt() throws Exception {
        java.nio.file.Path out = Environment.target().resolve("s3-clients.out");
        Process script = new ProcessBuilder(Environment.home().resolve("bench/s3-clients.sh").toString(),
                "http://127.0.0.1:" + s3Port, ACCESS_KEY, SECRET).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            assertTrue(script.waitFor(15, java.util.concurrent.TimeUnit.MINUTES), "bench/s3-clients.sh did not end in 15 minutes");
            String output = java.nio.file.Files.readString(out);
            System.out.println(output.lines().filter(line -> !line.contains(": ok: ")).collect(java.util.stream.Collectors.joining("\n")));
            assertEquals(0, script.exitValue(), output);
            assertTrue(output.contains("every check passed"), output);
        } finally {
            script.destroyForcibly();
        }
    }

    private static byte[] bytes(int size, long seed) {
        byte[] value = new byte[size];
        new Random(seed).nextBytes(value);
        return value;
    }

    private static String md5(byte[] value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(value));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
