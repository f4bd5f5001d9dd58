package io.tdkvs.master.s3.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tdkvs.master.meta.control.BucketStore;
import io.tdkvs.master.meta.control.Database;
import io.tdkvs.master.meta.control.Databases;
import io.tdkvs.master.meta.control.MetaStore;
import io.tdkvs.master.s3.entity.S3Error;
import io.tdkvs.master.s3.entity.S3Exception;

class S3BucketsTest {

    @TempDir
    Path dir;

    private Database database;
    private S3Buckets buckets;

    @BeforeEach
    void open() {
        database = new Database(dir.resolve("index"));
        buckets = new S3Buckets();
        buckets.buckets = new BucketStore(database);
        buckets.metaKeys = new MetaStore(database);
    }

    @AfterEach
    void close() {
        Databases.close(database);
    }

    @Test
    void aBucketFoundOnceIsForgottenWhenRemoved() {
        assertEquals(S3Error.NO_SUCH_BUCKET.code(), assertThrows(S3Exception.class, () -> buckets.existing("photos")).code());
        buckets.create("photos");
        assertEquals("photos", buckets.existing("photos").name());
        assertEquals("photos", buckets.existing("photos").name()); // from memory now
        buckets.delete("photos");
        assertEquals(S3Error.NO_SUCH_BUCKET.code(), assertThrows(S3Exception.class, () -> buckets.existing("photos")).code());
        assertEquals(S3Error.NO_SUCH_BUCKET.code(), assertThrows(S3Exception.class, () -> buckets.delete("photos")).code());
        buckets.create("photos");
        assertEquals("photos", buckets.existing("photos").name());
    }

    @Test
    void aBucketRemovedBehindItsBackIsForgottenWithTheLeadership() {
        buckets.create("logs");
        assertEquals("logs", buckets.existing("logs").name());
        buckets.buckets.delete("logs"); // as another master leading meanwhile would
        buckets.forgetAll();
        assertEquals(S3Error.NO_SUCH_BUCKET.code(), assertThrows(S3Exception.class, () -> buckets.existing("logs")).code());
    }
}
