package io.tdkvs.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.tdkvs.it.support.Environment;

/**
 * The soak's short mode: {@code bench/soak.sh 3}, three minutes of mixed load on {@code ./tdkvs local
 * --restart} while a volume is added online, one killed (-9) and started again, one frozen and thawed,
 * the master killed (-9) and started again, the copies raised to three and lowered to two, and a volume
 * drained; then every acknowledged write must read back byte for byte, no status but 2xx, 404 and 503
 * answered, servers' threads and descriptors steady, and the disk hold no more than the live data.
 */
class SoakIT {

    @Test
    void threeMinutesOfLoadAndFaultsLoseNothing() throws IOException, InterruptedException {
        Path out = Files.createDirectories(Environment.target().resolve("soak-it").resolve(Long.toString(System.currentTimeMillis())));
        ProcessBuilder builder = new ProcessBuilder(Environment.home().resolve("bench/soak.sh").toString(), "3")
                .redirectErrorStream(true).redirectOutput(out.resolve("soak.out").toFile());
        builder.environment().put("OUT", out.toString());
        builder.environment().put("SOAK_PORT", Integer.toString(Environment.freePorts(5)));
        builder.environment().put("TDKVS_JAVA_OPTS", Environment.javaOpts());
        Process soak = builder.start();
        try {
            boolean ended = soak.waitFor(12, TimeUnit.MINUTES);
            String output = Files.readString(out.resolve("soak.out"));
            System.out.println(output.lines().filter(line -> !line.startsWith("[soak]") || line.contains("LOST") || line.contains("WRONG"))
                    .reduce("", (a, b) -> a + b + "\n"));
            assertTrue(ended, "the soak did not end in 12 minutes:\n" + output);
            assertEquals(0, soak.exitValue(), output);
            assertTrue(output.contains("soak: every goal met"), output);
        } finally {
            soak.destroy();
            if (!soak.waitFor(60, TimeUnit.SECONDS)) {
                soak.destroyForcibly();
            }
        }
    }
}
