// S3Load.java: small-value load through the native API or the S3 endpoint of a tdkvs master, with the
// same client code for both, so that their rates compare. JDK only: `java bench/S3Load.java ...`.
//
//   --api native|s3   --base http://127.0.0.1:3000 (native) or the S3 endpoint (s3)
//   --phase fill|put|get   --size 1024 --keys 2000 --conc 16 --seconds 15 --bucket s3load
//   --warmup 0   seconds of the same load before the measured ones, not counted: the client's JIT compiles its
//                code (more of it for S3: the signing) while the servers' cores are measured otherwise
//   --access-key K --secret-key S --region us-east-1   (s3: each request signed, Signature Version 4,
//                                                       UNSIGNED-PAYLOAD, as SDKs sign over TLS)
// fill writes keys 0..keys-1 once; put writes them round and round for --seconds; get reads random ones. Every GET's
// bytes are compared with what was written. Prints: api=... phase=... ops_per_s=... p50_ms=... p99_ms=...
// errors=... wrong=...
import java.io.*;
import java.net.*;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.*;
import java.util.concurrent.atomic.*;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public class S3Load {
    static String api = "native", base = "http://127.0.0.1:3000", phase = "put", bucket = "s3load", access = "", secret = "",
            region = "us-east-1";
    static int size = 1024, keys = 2000, conc = 16;
    static double seconds = 15, warmup = 0;

    public static void main(String[] a) throws Exception {
        for (int i = 0; i + 1 < a.length; i += 2) {
            String v = a[i + 1];
            switch (a[i]) {
                case "--api" -> api = v;
                case "--base" -> base = v.replaceAll("/+$", "");
                case "--phase" -> phase = v;
                case "--bucket" -> bucket = v;
                case "--access-key" -> access = v;
                case "--secret-key" -> secret = v;
                case "--region" -> region = v;
                case "--size" -> size = Integer.parseInt(v);
                case "--keys" -> keys = Integer.parseInt(v);
                case "--conc" -> conc = Integer.parseInt(v);
                case "--seconds" -> seconds = Double.parseDouble(v);
                case "--warmup" -> warmup = Double.parseDouble(v);
                default -> { System.err.println("unknown argument " + a[i]); System.exit(2); }
            }
        }
        if (!base.startsWith("http://127.0.0.1:")) {
            System.err.println("S3Load targets http://127.0.0.1:<port> only");
            System.exit(2);
        }
        if (api.equals("s3")) {
            send("PUT", "/" + bucket, null); // 200, or 409 when it exists
        }
        AtomicLong ops = new AtomicLong(), errors = new AtomicLong(), wrong = new AtomicLong(), next = new AtomicLong();
        List<long[]> latencies = Collections.synchronizedList(new ArrayList<>());
        long began = System.nanoTime() + (long) (warmup * 1e9); // the measured seconds begin after the warm-up
        long end = began + (long) (seconds * 1e9);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < conc; t++) {
            Thread thread = new Thread(() -> {
                Random random = new Random();
                long[] mine = new long[1 << 20];
                int n = 0;
                while (System.nanoTime() < end || phase.equals("fill")) {
                    long taken = next.getAndIncrement();
                    if (phase.equals("fill") && taken >= keys) {
                        break;
                    }
                    int k = phase.equals("get") ? random.nextInt(keys) : (int) (taken % keys);
                    String key = "s3load-" + k;
                    long start = System.nanoTime();
                    boolean counted = start >= began || phase.equals("fill");
                    try {
                        if (!phase.equals("get")) {
                            Answer answer = send("PUT", path(key), value(key));
                            if (answer.status / 100 != 2) errors.incrementAndGet();
                        } else {
                            Answer answer = send("GET", path(key), null);
                            if (answer.status != 200) errors.incrementAndGet();
                            else if (!Arrays.equals(answer.body, value(key))) wrong.incrementAndGet();
                        }
                        if (counted) ops.incrementAndGet();
                    } catch (IOException e) {
                        errors.incrementAndGet();
                    }
                    if (counted && n < mine.length) mine[n++] = System.nanoTime() - start;
                }
                latencies.add(Arrays.copyOf(mine, n));
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) thread.join();
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        double elapsed = (System.nanoTime() - began) / 1e9;
        System.out.printf(Locale.ROOT, "api=%s phase=%s size=%d conc=%d ops=%d ops_per_s=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d wrong=%d%n",
                api, phase, size, conc, ops.get(), ops.get() / elapsed, pct(all, 0.50), pct(all, 0.99), errors.get(), wrong.get());
    }

    static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))] / 1e6;
    }

    static String path(String key) {
        return api.equals("s3") ? "/" + bucket + "/" + key : (phase.equals("get") ? "/get/" : "/set/") + key;
    }

    static byte[] value(String key) {
        byte[] unit = (key + ":").getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[size];
        for (int i = 0; i < size; i++) value[i] = unit[i % unit.length];
        return value;
    }

    record Answer(int status, byte[] body) {}

    static Answer send(String method, String path, byte[] body) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(base + path).toURL().openConnection(Proxy.NO_PROXY);
        c.setRequestMethod(method);
        c.setConnectTimeout(5000);
        c.setReadTimeout(60000);
        if (api.equals("s3")) sign(c, method, path);
        if (body != null) {
            c.setDoOutput(true);
            c.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = c.getOutputStream()) { out.write(body); }
        }
        int status = c.getResponseCode();
        InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream();
        byte[] answer = in == null ? new byte[0] : in.readAllBytes();
        if (in != null) in.close();
        return new Answer(status, answer);
    }

    static final DateTimeFormatter AMZ = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    /** The day's signing key, derived once a day as the AWS SDKs do (four HMACs), not for every request. */
    record DayKey(String day, byte[] key) {}
    static volatile DayKey dayKey = new DayKey("", null);
    static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
        try { return Mac.getInstance("HmacSHA256"); } catch (Exception e) { throw new IllegalStateException(e); }
    });
    static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try { return MessageDigest.getInstance("SHA-256"); } catch (Exception e) { throw new IllegalStateException(e); }
    });

    /** Signature Version 4 in the Authorization header, the payload unsigned; the path is plain ASCII here. */
    static void sign(HttpURLConnection c, String method, String path) {
        String date = ZonedDateTime.now(ZoneOffset.UTC).format(AMZ);
        String day = date.substring(0, 8);
        String host = c.getURL().getHost() + ":" + c.getURL().getPort();
        String signed = "host;x-amz-content-sha256;x-amz-date";
        String canonical = method + "\n" + path + "\n\nhost:" + host + "\nx-amz-content-sha256:UNSIGNED-PAYLOAD\nx-amz-date:" + date
                + "\n\n" + signed + "\nUNSIGNED-PAYLOAD";
        String scope = day + "/" + region + "/s3/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + date + "\n" + scope + "\n" + hex(sha256(canonical));
        DayKey known = dayKey;
        byte[] key = known.key();
        if (!day.equals(known.day())) {
            key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), day);
            key = hmac(key, region);
            key = hmac(key, "s3");
            key = hmac(key, "aws4_request");
            dayKey = new DayKey(day, key);
        }
        c.setRequestProperty("x-amz-date", date);
        c.setRequestProperty("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
        c.setRequestProperty("Authorization", "AWS4-HMAC-SHA256 Credential=" + access + "/" + scope + ", SignedHeaders=" + signed
                + ", Signature=" + hex(hmac(key, toSign)));
    }

    static byte[] sha256(String text) {
        return SHA256.get().digest(text.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = MAC.get();
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) { throw new IllegalStateException(e); }
    }

    static String hex(byte[] bytes) { return HexFormat.of().formatHex(bytes); }
}
