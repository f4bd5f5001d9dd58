package io.tdkvs.master.s3.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tdkvs.master.keys.entity.Key;
import io.tdkvs.master.keys.entity.MetaKey;
import io.tdkvs.master.meta.control.BucketStore;
import io.tdkvs.master.meta.control.Database;
import io.tdkvs.master.meta.control.MetaStore;
import io.tdkvs.master.s3.entity.Bucket;
import io.tdkvs.master.s3.entity.S3Exception;

class S3ListingTest {

    @TempDir
    Path dir;

    private Database database;
    private S3Listing listing;
    private final Bucket bucket = new Bucket("bkt", Instant.EPOCH);

    @BeforeEach
    void open() {
        database = new Database(dir.resolve("index"));
        MetaStore metaKeys = new MetaStore(database);
        listing = new S3Listing();
        listing.metaKeys = metaKeys;
        for (String key : List.of("a/1", "a/2", "a/x/1", "b", "c/1", "c/2", "d", "\u00e9", "zz")) {
            metaKeys.put(Key.of("bkt/" + key), new MetaKey(0, 1, 1, 0));
        }
        metaKeys.put(Key.of("bkt2/other-bucket"), new MetaKey(0, 1, 1, 0));
        metaKeys.put(Key.of("a/other-bucket"), new MetaKey(0, 1, 1, 0));
    }

    @AfterEach
    void close() {
        database.detach(() -> "the test ended").ifPresent(com.sleepycat.je.Environment::close);
    }

    @Test
    void aDelimiterRollsKeysUpIntoCommonPrefixesAndPagesCountBoth() {
        List<String> seen = new ArrayList<>();
        Optional<S3Listing.Position> next = Optional.empty();
        int pages = 0;
        do {
            S3Listing.Page page = listing.list(bucket, "", "/", next, 2);
            page.commonPrefixes().forEach(prefix -> seen.add("prefix " + prefix));
            page.objects().forEach(object -> seen.add(object.key()));
            assertTrue(page.objects().size() + page.commonPrefixes().size() <= 2);
            next = page.truncated() ? page.next().map(position -> S3Listing.Position.ofToken(bucket, position.token()))
                    : Optional.empty();
            pages++;
        } while (next.isPresent());
        assertEquals(List.of("prefix a/", "b", "prefix c/", "d", "zz", "\u00e9").stream().sorted().toList(),
                seen.stream().sorted().toList());
        assertEquals(3, pages);
    }

    @Test
    void aPrefixListsOnlyItsKeysAndANestedDelimiterRollsUpBelowIt() {
        S3Listing.Page page = listing.list(bucket, "a/", "/", Optional.empty(), 1000);
        assertEquals(List.of("a/1", "a/2"), page.objects().stream().map(S3Listing.Listed::key).toList());
        assertEquals(List.of("a/x/"), page.commonPrefixes());
        assertFalse(page.truncated());

        S3Listing.Page after = listing.list(bucket, "", "", Optional.of(S3Listing.Position.after(bucket, "c/1")), 1000);
        assertEquals(List.of("c/2", "d", "zz", "\u00e9"), after.objects().stream().map(S3Listing.Listed::key).toList());
        S3Listing.Page past = listing.list(bucket, "", "", Optional.of(S3Listing.Position.past(bucket, "a/")), 2);
        assertEquals(List.of("b", "c/1"), past.objects().stream().map(S3Listing.Listed::key).toList());
        assertTrue(past.truncated());
    }

    @Test
    void aTokenOfAnotherBucketOrGarbageIsRefused() {
        String other = S3Listing.Position.after(new Bucket("bkt2", Instant.EPOCH), "x").token();
        assertThrows(S3Exception.class, () -> S3Listing.Position.ofToken(bucket, "%%%"));
        assertThrows(S3Exception.class, () -> S3Listing.Position.ofToken(new Bucket("ccc", Instant.EPOCH), other));
    }

    @Test
    void bucketsRoundTripThroughTheirStore() {
        BucketStore buckets = new BucketStore(database);
        assertTrue(buckets.create(new Bucket("photos", Instant.ofEpochMilli(1_700_000_000_123L))));
        assertFalse(buckets.create(new Bucket("photos", Instant.now())));
        assertTrue(buckets.create(new Bucket("logs", Instant.EPOCH)));
        assertEquals(List.of("logs", "photos"), buckets.all().stream().map(Bucket::name).toList());
        assertEquals(Optional.of(new Bucket("photos", Instant.ofEpochMilli(1_700_000_000_123L))), buckets.get("photos"));
        assertTrue(buckets.delete("photos"));
        assertFalse(buckets.delete("photos"));
        assertEquals(Optional.empty(), buckets.get("photos"));
    }
}
