package io.tdkvs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeConfigTest {

    @TempDir
    Path dir;

    @Test
    void readsTheSeedFormatAndResolvesThePathAgainstTheFile() throws IOException {
        VolumeConfig config = VolumeConfig.load(Files.writeString(dir.resolve("v.yaml"), "port: 3001\npath: store\n"));
        assertEquals(3001, config.port());
        assertEquals(dir.resolve("store"), config.path());
        assertEquals(VolumeConfig.load(Files.writeString(dir.resolve("abs.yaml"), "port: 1\npath: /srv/x/\n")).path(), Path.of("/srv/x"));
    }

    @Test
    void theScrubRateIsBytesPerSecondAndZeroTurnsItOff() throws IOException {
        assertEquals(VolumeConfig.DEFAULT_SCRUB_RATE, VolumeConfig.load(Files.writeString(dir.resolve("a.yaml"), "port: 1\npath: p\n")).scrubRate());
        assertEquals(0, VolumeConfig.load(Files.writeString(dir.resolve("b.yaml"), "port: 1\npath: p\nscrubRate: 0\n")).scrubRate());
        Path negative = Files.writeString(dir.resolve("c.yaml"), "port: 1\npath: p\nscrubRate: -5\n");
        assertTrue(assertThrows(ConfigException.class, () -> VolumeConfig.load(negative)).getMessage()
                .startsWith(negative + ": scrubRate: -5 is negative"));
        Path text = Files.writeString(dir.resolve("d.yaml"), "port: 1\npath: p\nscrubRate: fast\n");
        assertTrue(assertThrows(ConfigException.class, () -> VolumeConfig.load(text)).getMessage().contains("scrubRate: must be a whole number"));
    }

    @Test
    void theSecretIsOptionalAndMustBeLongEnough() throws IOException {
        assertTrue(VolumeConfig.load(Files.writeString(dir.resolve("a.yaml"), "port: 1\npath: p\n")).secret().isEmpty());
        assertEquals(java.util.Optional.of("0123456789abcdef0123"),
                VolumeConfig.load(Files.writeString(dir.resolve("b.yaml"), "port: 1\npath: p\nsecret: 0123456789abcdef0123\n")).secret());
        Path shortOne = Files.writeString(dir.resolve("c.yaml"), "port: 1\npath: p\nsecret: abc\n");
        assertTrue(assertThrows(ConfigException.class, () -> VolumeConfig.load(shortOne)).getMessage()
                .contains("secret: must be at least 16 printable ASCII characters"));
    }

    @Test
    void thePathIsRequired() throws IOException {
        Path file = Files.writeString(dir.resolve("v.yaml"), "port: 3001\n");
        assertEquals(file + ": path: is required", assertThrows(ConfigException.class, () -> VolumeConfig.load(file)).getMessage());
    }

    @Test
    void anEmptyFileIsNotAConfig() throws IOException {
        Path file = Files.writeString(dir.resolve("v.yaml"), "");
        assertTrue(assertThrows(ConfigException.class, () -> VolumeConfig.load(file)).getMessage().contains("must be a YAML mapping"));
    }
}
