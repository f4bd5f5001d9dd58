package io.tdkvs.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.tdkvs.it.support.Environment;
import io.tdkvs.it.support.Server;

/** {@code ./tdkvs} refuses a bad command line or config file at once, naming the file, the field and the problem. */
class LauncherIT {

    @ParameterizedTest(name = "{0} | {1}")
    @CsvSource(delimiter = '|', value = {
            "master                      |                                          | the config file is required",
            "master -config=FILE         | port: 3000                               | FILE: volumes: is required",
            "master -config=FILE         | port: 70000\\nvolumes: [http://a:1]       | FILE: port: 70000 is not a TCP port",
            "master -config=FILE         | port: 1\\nvolumes: [127.0.0.1:3001]       | FILE: volumes[0]: \"127.0.0.1:3001\" is not a volume URL",
            "master -config=FILE -delete=1 | port: 1\\nvolumes: [http://a:1]        | -delete=1 is out of range",
            "master -config=FILE -delete=x | port: 1\\nvolumes: [http://a:1]        | -delete=x is not a volume index",
            "volume -config=FILE         | port: 1                                  | FILE: path: is required",
            "volume -config=FILE         | port: 1\\npath: x\\nsize: 3               | FILE: size: unknown field",
            "volume -config=MISSING      |                                          | MISSING: no such file",
            "volume -config=FILE         | port: 1\\npath: FILE                      | cannot write the Payara Micro file preboot.txt to FILE/payara",
            "serve -config=FILE          |                                          | unknown command `serve`"})
    void refusesABadCommandLineOrConfigWithExitStatus2(String args, String yaml, String message) throws Exception {
        Path dir = Files.createDirectories(Environment.target().resolve("launcher-it"));
        Path file = dir.resolve("config-" + System.nanoTime() + ".yaml");
        Files.writeString(file, yaml == null ? "" : yaml.replace("\\n", "\n").replace("FILE", file.toString()));
        Path missing = dir.resolve("missing.yaml");
        List<String> command = new ArrayList<>(List.of(Environment.home().resolve("tdkvs").toString()));
        for (String arg : args.trim().split("\\s+")) {
            command.add(arg.replace("FILE", file.toString()).replace("MISSING", missing.toString()));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try {
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the launcher answers at once");
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            process.destroyForcibly();
        }
        assertEquals(2, process.exitValue(), output);
        String expected = message.replace("FILE", file.toString()).replace("MISSING", missing.toString());
        assertTrue(output.contains(expected), output);
    }

    /** The volume itself, not only the launcher, stops with the reason: as when run with plain java -jar. */
    @Test
    void aVolumeThatCannotStoreUnderItsPathStopsWithTheReason() throws IOException {
        Path path = Files.createDirectories(Environment.target().resolve("launcher-it/unusable-" + System.nanoTime()));
        Files.writeString(path.resolve("blobs"), "a file where the blobs folder belongs");
        int port = Environment.freePort();
        Path config = Files.writeString(path.resolveSibling(path.getFileName() + ".yaml"), "port: " + port + "\npath: " + path + "\n");
        Server volume = Server.volume(config, port, path.resolveSibling(path.getFileName() + ".log")).start();
        try {
            assertEquals(2, volume.awaitExit(Duration.ofMinutes(2)), volume.log());
            assertTrue(volume.log().contains("the volume cannot start: cannot store values under " + path), volume.log());
        } finally {
            volume.kill();
        }
    }
}
