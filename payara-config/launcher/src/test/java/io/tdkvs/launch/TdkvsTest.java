package io.tdkvs.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

import io.tdkvs.config.ConfigException;

class TdkvsTest {

    @TempDir
    Path home;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "master -config=m.yaml             | master | config=m.yaml",
            "master --config=m.yaml -delete=2  | master | config=m.yaml,delete=2",
            "master -config m.yaml -delete 0   | master | config=m.yaml,delete=0",
            "master -rebuild -config=m.yaml    | master | rebuild=true,config=m.yaml",
            "volume -config=v.yaml             | volume | config=v.yaml",
            "verify -config=m.yaml             | verify | config=m.yaml"})
    void acceptsTheFlagStylesOperatorsKnow(String line, String role, String flags) {
        Arguments arguments = Arguments.parse(List.of(line.split(" ")));
        assertEquals(role, arguments.role());
        assertEquals(flags, String.join(",", arguments.flags().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "                                  | expected `master`, `volume`, `verify` or `local`",
            "serve -config=x                   | unknown command `serve`",
            "master                            | the config file is required",
            "master -config                    | -config needs a value",
            "volume -config=v -delete=1        | unknown flag -delete for `tdkvs volume`",
            "master -config=a -config=b        | -config is given twice",
            "master -config=a extra            | unexpected argument `extra`",
            "master -config=a -rebuild=yes     | -rebuild takes no value",
            "master -config=a -rebuild -delete=1 | -delete and -rebuild cannot be combined",
            "volume -config=v -rebuild         | unknown flag -rebuild for `tdkvs volume`",
            "verify                            | the config file is required",
            "verify -config=m -delete=1        | unknown flag -delete for `tdkvs verify`"})
    void explainsABadCommandLine(String line, String message) {
        List<String> args = line == null ? List.of() : List.of(line.split(" "));
        Arguments.UsageException e = assertThrows(Arguments.UsageException.class, () -> Arguments.parse(args));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "                          | local   | ",
            "--masters 3               | local   | 3",
            "--masters=5 here          | here    | 5",
            "there -masters 3          | there   | 3",
            "--restart here            | here    | "})
    void readsTheLocalClustersFolderAndMasters(String line, String folder, Integer masters) {
        LocalArguments local = LocalArguments.parse(line == null ? List.of() : List.of(line.split(" ")));
        assertEquals(Path.of(folder), local.folder());
        assertEquals(line != null && line.contains("--restart"), local.restart());
        assertEquals(masters == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(masters), local.masters());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--masters                 | --masters needs a number of masters (1, 3 or 5), not ``",
            "--masters three           | --masters needs a number of masters (1, 3 or 5), not `three`",
            "--masters 3 --masters 5   | --masters is given twice",
            "a b                       | `tdkvs local` takes at most one folder",
            "--volumes 4               | unknown flag --volumes for `tdkvs local`; it takes --masters <n>, --restart and a folder"})
    void explainsABadLocalCommandLine(String line, String message) {
        Arguments.UsageException e = assertThrows(Arguments.UsageException.class, () -> LocalArguments.parse(List.of(line.split(" "))));
        assertEquals(message, e.getMessage());
    }

    @Test
    void aDeleteIndexMustBeANumber() {
        Arguments arguments = Arguments.parse(List.of("master", "-config=m.yaml", "-delete=one"));
        assertTrue(assertThrows(Arguments.UsageException.class, arguments::delete).getMessage().contains("not a volume index"));
    }

    @Test
    void buildsThePayaraMicroCommandForAMaster() throws IOException {
        built("payara-config/launcher/target/payara-micro.jar", "master-war/target/master.war");
        int port = freePort();
        Path config = Files.writeString(home.resolve("m.yaml"), "port: " + port + "\nvolumes: [http://127.0.0.1:3101, http://127.0.0.1:3102]\n");
        List<String> command = Tdkvs.instance(Arguments.parse(List.of("master", "-config=" + config, "-delete=1")), home).command(ServerRuntime.plain(home));
        String line = String.join(" ", command);
        assertTrue(line.contains("-Dtdkvs.config=" + config), line);
        assertTrue(line.contains("-Dtdkvs.delete=1"), line);
        assertFalse(line.contains("tdkvs.rebuild"), line);
        String rebuild = String.join(" ", Tdkvs.instance(Arguments.parse(List.of("master", "-config=" + config, "-rebuild")), home).command(ServerRuntime.plain(home)));
        assertTrue(rebuild.contains("-Dtdkvs.rebuild=true") && !rebuild.contains("tdkvs.delete"), rebuild);
        assertTrue(line.contains("-Dtdkvs.bind=127.0.0.1"), line);
        assertTrue(line.contains("--port " + port), line);
        assertTrue(line.endsWith("--deploy " + home.resolve("master-war/target/master.war")), line);
        Path preboot = Path.of(command.get(command.indexOf("--prebootcommandfile") + 1));
        assertEquals(home.resolve("m-data/payara/preboot.txt"), preboot);
        assertTrue(Files.readString(preboot).contains("http-listener.address=${tdkvs.bind}"));
    }

    @Test
    void refusesADeleteOutOfRangeBeforeStartingAnything() throws IOException {
        built("payara-config/launcher/target/payara-micro.jar", "master-war/target/master.war");
        Path config = Files.writeString(home.resolve("m.yaml"), "port: 3100\nvolumes: [http://127.0.0.1:3101]\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tdkvs.instance(Arguments.parse(List.of("master", "-config=" + config, "-delete=0")), home));
        assertTrue(e.getMessage().contains("would delete the last volume"), e.getMessage());
        assertThrows(ConfigException.class, () -> Tdkvs.instance(Arguments.parse(List.of("volume", "-config=" + config)), home));
    }

    @Test
    void refusesAPortThatIsAlreadyInUse() throws IOException {
        built("payara-config/launcher/target/payara-micro.jar", "volume-war/target/volume.war");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            Path config = Files.writeString(home.resolve("v.yaml"), "port: " + taken.getLocalPort() + "\npath: v\n");
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Tdkvs.instance(Arguments.parse(List.of("volume", "-config=" + config)), home));
            assertTrue(e.getMessage().contains("port: 127.0.0.1:" + taken.getLocalPort() + " cannot be used"), e.getMessage());
        }
    }

    @Test
    void saysHowToBuildWhenTheServersAreMissing() throws IOException {
        Path config = Files.writeString(home.resolve("v.yaml"), "port: 3101\npath: v\n");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Tdkvs.instance(Arguments.parse(List.of("volume", "-config=" + config)), home));
        assertTrue(e.getMessage().contains("build first: mvn -q -DskipTests package"), e.getMessage());
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private void built(String... files) throws IOException {
        for (String file : files) {
            Files.createDirectories(home.resolve(file).getParent());
            Files.writeString(home.resolve(file), "");
        }
    }
}
