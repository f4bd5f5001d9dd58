package io.tdkvs.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class ClusterSignatureTest {

    private static final String SECRET = "0123456789abcdef-cluster-secret";
    private final ClusterSignature cluster = new ClusterSignature(SECRET);

    @Test
    void aSignatureRoundTripsAndIsPinnedToItsBytes() {
        String header = cluster.sign("PUT", "/blobs/ab/cd", 1_700_000_000_000L, "00112233445566ff");
        assertEquals("1700000000000:00112233445566ff:", header.substring(0, 31));
        assertEquals(ClusterSignature.Verdict.VALID, cluster.check("PUT", "/blobs/ab/cd", header, 1_700_000_000_000L + 29_000));
        assertEquals(1_700_000_000_000L, ClusterSignature.millis(header));
        assertEquals(header, new ClusterSignature(SECRET).sign("PUT", "/blobs/ab/cd", 1_700_000_000_000L, "00112233445566ff"),
                "the same inputs sign the same");
        assertEquals("1700000000000:00112233445566ff:e2da3592fcaf581353288e14568e4dd9dd5e8cb30ebf0f8f30de6b00d09a4494", header, "HMAC-SHA256 of \"PUT\\n/blobs/ab/cd\\n1700000000000\\n00112233445566ff\"");
    }

    @Test
    void eachSignatureIsNew() {
        assertNotEquals(cluster.sign("GET", "/blobs"), cluster.sign("GET", "/blobs"));
    }

    @Test
    void whatIsNotTheClustersOwnIsRefusedWithItsReason() {
        long now = 1_700_000_000_000L;
        String header = cluster.sign("DELETE", "/blobs/ab/cd", now, "00112233445566ff");
        assertEquals(ClusterSignature.Verdict.MISSING, cluster.check("DELETE", "/blobs/ab/cd", null, now));
        assertEquals(ClusterSignature.Verdict.MALFORMED, cluster.check("DELETE", "/blobs/ab/cd", "yes", now));
        assertEquals(ClusterSignature.Verdict.FORGED, cluster.check("GET", "/blobs/ab/cd", header, now), "another method");
        assertEquals(ClusterSignature.Verdict.FORGED, cluster.check("DELETE", "/blobs/ab/ce", header, now), "another path");
        assertEquals(ClusterSignature.Verdict.FORGED,
                new ClusterSignature("another-secret-of-16+").check("DELETE", "/blobs/ab/cd", header, now), "another secret");
        String later = header.replaceFirst("^1700000000000", "1700000005000");
        assertEquals(ClusterSignature.Verdict.FORGED, cluster.check("DELETE", "/blobs/ab/cd", later, now), "another time");
        assertEquals(ClusterSignature.Verdict.STALE, cluster.check("DELETE", "/blobs/ab/cd", header, now + 31_000));
        assertEquals(ClusterSignature.Verdict.STALE, cluster.check("DELETE", "/blobs/ab/cd", header, now - 31_000));
    }
}
