package io.tdkvs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MasterConfigTest {

    @TempDir
    Path dir;

    @Test
    void readsTheSeedFormatWithDefaults() throws IOException {
        Path file = write("master.yaml", "port: 3000\nvolumes:\n  - http://10.0.0.1:3001\n  - HTTP://Example.COM:3001/\n");
        MasterConfig config = MasterConfig.load(file);
        assertEquals(3000, config.port());
        assertEquals(List.of(new VolumeUrl("http://10.0.0.1:3001"), new VolumeUrl("http://example.com:3001")), config.volumes());
        assertEquals(dir.resolve("master-data"), config.data());
        assertEquals("127.0.0.1", config.bind());
        assertEquals(MasterConfig.DEFAULT_WORKERS, config.workers());
        assertEquals(1, config.replicas());
        assertTrue(config.token().isEmpty());
        assertEquals(Deadlines.defaults(), config.deadlines());
        assertTrue(config.secret().isEmpty());
        assertEquals(java.time.Duration.ofSeconds(2), config.deadlines().read());
        assertEquals(java.time.Duration.ofSeconds(5), config.deadlines().write());
        assertTrue(config.valueCache().isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"0 | 0", "33554432 | 33554432", "512KiB | 524288", "'64 MiB' | 67108864",
            "3GiB | 3221225472", "100B | 100"})
    void readsTheValueCacheInBytesOrWithAUnit(String yaml, long bytes) throws IOException {
        Path file = write("m.yaml", "port: 1\nvolumes: [http://a:1]\nvalueCache: " + yaml + "\n");
        assertEquals(java.util.OptionalLong.of(bytes), MasterConfig.load(file).valueCache());
    }

    @Test
    void readsDeadlinesWithTheirUnits() throws IOException {
        Path file = write("m.yaml", "port: 1\nvolumes: [http://a:1]\ndeadlines:\n  connect: 250ms\n  read: 1.5s\n  write: 1m\n");
        Deadlines deadlines = MasterConfig.load(file).deadlines();
        assertEquals(new Deadlines(java.time.Duration.ofMillis(250), java.time.Duration.ofMillis(1500), java.time.Duration.ofMinutes(1)),
                deadlines);
        assertEquals(java.time.Duration.ofMillis(1125), Deadlines.perCopy(deadlines.read()));
        assertEquals(java.time.Duration.ofMillis(1125), deadlines.readOf(false));
        assertEquals(deadlines.read(), deadlines.readOf(true));
        // a volume checks a value whole before it answers: a second more per 64 MiB
        assertEquals(deadlines.read().plusSeconds(80), deadlines.readOf(true, 5L << 30));
        assertEquals(java.time.Duration.ofMillis(1125 + 15), deadlines.readOf(false, 1 << 20));
    }

    @Test
    void resolvesARelativeDataFolderAgainstTheFile() throws IOException {
        Path file = write("m.yml", "port: 1\nvolumes: [http://a:1]\ndata: ../index\nbind: 0.0.0.0\nworkers: 16\nmoveRate: 500\ntoken: 0123456789abcdef0123\n"
                + "replicas: 1\n");
        MasterConfig config = MasterConfig.load(file);
        assertEquals(dir.getParent().resolve("index"), config.data());
        assertEquals("0.0.0.0", config.bind());
        assertEquals(16, config.workers());
        assertEquals(500, config.moveRate());
        assertEquals(java.util.Optional.of("0123456789abcdef0123"), config.token());
    }

    @Test
    void readsTheS3EndpointWithItsKeys() throws IOException {
        MasterConfig off = MasterConfig.load(write("plain.yaml", "port: 1\nvolumes: [http://a:1]\n"));
        assertEquals(java.util.Optional.empty(), off.s3());

        MasterConfig on = MasterConfig.load(write("s3.yaml", "port: 1\nvolumes: [http://a:1]\ns3Port: 3900\ns3Keys:\n"
                + "  - accessKey: TDKVSKEY1\n    secretKey: 0123456789abcdef0123\n"
                + "  - accessKey: TDKVSKEY2\n    secretKey: fedcba9876543210fedc\n"));
        S3Config s3 = on.s3().orElseThrow();
        assertEquals(3900, s3.port());
        assertEquals(S3Config.DEFAULT_REGION, s3.region());
        assertEquals(java.util.Optional.of("fedcba9876543210fedc"), s3.secret("TDKVSKEY2"));
        assertEquals(java.util.Optional.empty(), s3.secret("TDKVSKEY3"));
        assertEquals("[TDKVSKEY1, TDKVSKEY2]", s3.keys().toString(), "secrets stay out of the text");

        MasterConfig region = MasterConfig.load(write("r.yaml", "port: 1\nvolumes: [http://a:1]\ns3Port: 3900\ns3Region: eu-west-3\n"
                + "s3Keys: [{accessKey: K123, secretKey: 0123456789abcdef}]\n"));
        assertEquals("eu-west-3", region.s3().orElseThrow().region());
        assertEquals(java.time.Duration.ofHours(24), s3.uploadExpiry());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "port: 3000                                          | volumes: is required",
            "volumes: [http://a:1]                               | port: is required",
            "port: 0\\nvolumes: [http://a:1]                      | port: 0 is not a TCP port",
            "port: x\\nvolumes: [http://a:1]                      | port: must be a whole number, not \"x\"",
            "port: 1\\nvolumes: []                                | volumes: lists no volume",
            "port: 1\\nvolumes: http://a:1                        | volumes: must be a list",
            "port: 1\\nvolumes: [localhost:3001]                  | volumes[0]: \"localhost:3001\" is not a volume URL",
            "port: 1\\nvolumes: [ftp://a:1]                       | volumes[0]: \"ftp://a:1\" is not a volume URL",
            "port: 1\\nvolumes: [http://a:1, http://A:1/]         | volumes[1]: http://a:1 is listed twice (also volumes[0])",
            "port: 1\\nvolumes: [http://a:1]\\nworkers: 0          | workers: 0 is out of range",
            "port: 1\\nvolumes: [http://a:1]\\nworkers: 65         | workers: 65 is out of range",
            "port: 1\\nvolumes: [http://a:1]\\nmoveRate: -1       | moveRate: -1 is negative",
            "port: 1\\nvolumes: [http://a:1]\\nreplicas: 0        | replicas: 0 is out of range",
            "port: 1\\nvolumes: [http://a:1, http://b:1]\\nreplicas: 3 | replicas: 3 is out of range: each copy of a value needs a volume of its own, and 2 volume(s) are listed (1-2)",
            "port: 1\\nvolumes: [http://a:1]\\ntoken: short       | token: must be at least 16 printable ASCII characters",
            "port: 1\\nvolumes: [http://a:1]\\ntoken: 'with a space in it' | token: must be at least 16",
            "port: 1\\nvolumes: [http://a:1]\\nprot: 2             | prot: unknown field",
            "port: 1\\nvolumes: [http://a:1]\\nsecret: short      | secret: must be at least 16 printable ASCII characters",
            "port: 1\\nvolumes: [http://a:1]\\ndeadlines: {read: 2} | deadlines.read: must be a length of time with its unit, such as 500ms, 2s or 1m",
            "port: 1\\nvolumes: [http://a:1]\\ndeadlines: {write: 2h} | deadlines.write: must be a length of time with its unit",
            "port: 1\\nvolumes: [http://a:1]\\ndeadlines: {read: 0s} | deadlines.read: 0s is out of range",
            "port: 1\\nvolumes: [http://a:1]\\ndeadlines: {connect: 3s} | deadlines.connect: 3000 ms is longer than the read or write deadline",
            "port: 1\\nvolumes: [http://a:1]\\ndeadlines: {wait: 3s} | deadlines.wait: unknown field",
            "port: 1\\nvolumes: [http://a:1]\\nvalueCache: -1     | valueCache: must be a size in bytes, such as 33554432, 512KiB, 64MiB or 1GiB, not \"-1\"",
            "port: 1\\nvolumes: [http://a:1]\\nvalueCache: 64MB   | valueCache: must be a size in bytes",
            "port: 1\\nvolumes: [http://a:1]\\nvalueCache: 1.5GiB | valueCache: must be a size in bytes",
            "port: 1\\nvolumes: [http://a:1]\\ns3Port: 1          | s3Port: 1 is the master's port too",
            "port: 1\\nvolumes: [http://a:1]\\ns3Port: 70000      | s3Port: 70000 is not a TCP port",
            "port: 1\\nvolumes: [http://a:1]\\ns3Port: 2          | s3Keys: is required with s3Port",
            "port: 1\\nvolumes: [http://a:1]\\ns3Keys: []         | s3Keys: is set, but s3Port is not",
            "port: 1\\nvolumes: [http://a:1]\\ns3Port: 2\\ns3Keys: [] | s3Keys: lists no key",
            "port: 1\\nvolumes: [http://a:1]\\ns3Port: 2\\ns3Region: US | s3Region: \"US\" is not a region name",
            "port: 1\\nvolumes: [http://a:1]\\ns3Port: 2\\ns3Keys: [{accessKey: AKEY, secretKey: 0123456789abcdef}]\\ns3UploadExpiryHours: 0 | s3UploadExpiryHours: 0 is out of range",
            "port: 1\\nvolumes: [http://a:1]\\ns3Port: 2\\ns3Keys: [{accessKey: 'a b', secretKey: 0123456789abcdef}] | s3Keys[0].accessKey: \"a b\" is not an access key",
            "port: 1\\nvolumes: [http://a:1]\\ns3Port: 2\\ns3Keys: [{accessKey: AKEY, secretKey: short}] | s3Keys[0].secretKey: must be at least 16",
            "port: 1\\nvolumes: [http://a:1]\\ns3Port: 2\\ns3Keys: [{accessKey: AKEY}] | s3Keys[0].secretKey: is required",
            "port: 1\\nvolumes: [http://a:1]\\ns3Port: 2\\ns3Keys: [{accessKey: AKEY, secretKey: 0123456789abcdef, user: x}] | s3Keys[0].user: unknown field",
            "port: 1\\nvolumes: [http://a:1]\\ns3Port: 2\\ns3Keys: [{accessKey: AKEY, secretKey: 0123456789abcdef}, {accessKey: AKEY, secretKey: 0123456789abcdef}] | s3Keys[1].accessKey: AKEY is listed twice",
            "port: 1\\nport: 2\\nvolumes: [http://a:1]             | is not valid YAML",
            "- just a list                                       | must be a YAML mapping",
            "port: [1                                            | is not valid YAML"})
    void namesTheFieldAndTheProblem(String yaml, String expected) throws IOException {
        Path file = write("bad.yaml", yaml.replace("\\n", "\n"));
        ConfigException e = assertThrows(ConfigException.class, () -> MasterConfig.load(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void aMissingFileIsNamed() {
        ConfigException e = assertThrows(ConfigException.class, () -> MasterConfig.load(dir.resolve("nope.yaml")));
        assertEquals(dir.resolve("nope.yaml") + ": no such file", e.getMessage());
    }

    @Test
    void theVolumeToDeleteMustExistAndNotBeTheOnlyOne() throws IOException {
        MasterConfig two = MasterConfig.load(write("two.yaml", "port: 1\nvolumes: [http://a:1, http://b:1]\n"));
        assertEquals(new VolumeUrl("http://b:1"), two.volumeToDelete(1));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> two.volumeToDelete(2)).getMessage()
                .contains("-delete=2 is out of range"));
        MasterConfig one = MasterConfig.load(write("one.yaml", "port: 1\nvolumes: [http://a:1]\n"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> one.volumeToDelete(0)).getMessage()
                .contains("would delete the last volume"));
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
