package io.tdkvs.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32C;

import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.glassfish.jersey.client.ClientProperties;
import org.glassfish.jersey.client.RequestEntityProcessing;
import org.junit.jupiter.api.Test;

import io.tdkvs.it.support.Cluster;
import io.tdkvs.it.support.Environment;
import io.tdkvs.it.support.Reply;
import io.tdkvs.it.support.Store;

/** Values stream through the master and the volume: 1 GiB through servers whose heap is 256 MiB. */
class LargeValueIT {

    private static final long GIB = 1L << 30;

    @Test
    void aOneGiBValueStreamsThroughServersWithASmallHeap() throws Exception {
        assertTrue(Environment.javaOpts().contains("-Xmx256m"), "the servers run with -Xmx256m");
        try (Cluster cluster = Cluster.start("large-value", 1)) {
            Store store = cluster.store();
            Generated upload = new Generated(GIB);
            long started = System.nanoTime();
            Reply put = Reply.of(store.key("set", "large-value").request()
                    .property(ClientProperties.REQUEST_ENTITY_PROCESSING, RequestEntityProcessing.CHUNKED)
                    .put(Entity.entity(upload, MediaType.APPLICATION_OCTET_STREAM)));
            double putSeconds = (System.nanoTime() - started) / 1e9;
            assertEquals(201, put.status(), put::toString);

            started = System.nanoTime();
            CRC32C crc = new CRC32C();
            long read = 0;
            try (Response get = store.key("get", "large-value").request().get(); InputStream body = get.readEntity(InputStream.class)) {
                assertEquals(200, get.getStatus());
                assertEquals(String.valueOf(GIB), get.getHeaderString("Content-Length"));
                byte[] chunk = new byte[1 << 16];
                for (int n; (n = body.read(chunk)) >= 0; read += n) {
                    crc.update(chunk, 0, n);
                }
            }
            double getSeconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("1 GiB value: PUT %.1f s (%.0f MiB/s), GET %.1f s (%.0f MiB/s), servers at -Xmx256m%n",
                    putSeconds, 1024 / putSeconds, getSeconds, 1024 / getSeconds);
            assertEquals(GIB, read);
            assertEquals(upload.crc32c(), (int) crc.getValue(), "the bytes read are the bytes written");
            assertEquals(204, store.delete("large-value").status());
        }
    }

    /** A deterministic stream of pseudo-random bytes, never held in memory. */
    private static final class Generated extends InputStream {
        private final long size;
        private final CRC32C crc = new CRC32C();
        private long position;
        private long state = 0x9E3779B97F4A7C15L;

        Generated(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(length, size - position);
            for (int i = 0; i < n; i++) {
                if ((position + i) % 8 == 0) {
                    state = state * 6364136223846793005L + 1442695040888963407L;
                }
                buffer[offset + i] = (byte) (state >>> (8 * ((position + i) % 8)));
            }
            crc.update(buffer, offset, n);
            position += n;
            return n;
        }

        int crc32c() {
            return (int) crc.getValue();
        }

        @Override
        public void close() throws IOException {
            // nothing to release
        }
    }
}
