package io.tdkvs.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tdkvs.config.GroupConfig;
import io.tdkvs.config.MasterConfig;

class LocalClusterTest {

    @TempDir
    Path home;

    @TempDir
    Path dir;

    @BeforeEach
    void built() throws IOException {
        for (String file : List.of(Instance.PAYARA_JAR, ServerRole.MASTER.war(), ServerRole.VOLUME.war())) {
            Files.createDirectories(home.resolve(file).getParent());
            Files.writeString(home.resolve(file), "");
        }
    }

    @Test
    void aNewClusterGetsAMasterThreeVolumesAndAnAdminToken() throws IOException {
        int port = freePorts();
        List<Instance> plan = LocalCluster.plan(dir, port, home);

        assertEquals(List.of("volume1", "volume2", "volume3", "master"), plan.stream().map(Instance::name).toList());
        assertEquals("http://127.0.0.1:" + port + "/health/ready", plan.get(3).readiness().toString());
        assertEquals("http://127.0.0.1:" + (port + 2) + "/health/ready", plan.get(1).readiness().toString());
        MasterConfig master = MasterConfig.load(dir.resolve("master.yaml"));
        assertEquals(3, master.volumes().size());
        assertEquals(Files.readString(dir.resolve("admin-token")).strip(), master.token().orElseThrow());
        assertEquals(2, master.replicas(), "two copies of every value");
        String secret = master.secret().orElseThrow();
        assertTrue(secret.length() >= 32 && !secret.equals(master.token().orElseThrow()), "a secret of its own");
        for (int i = 1; i <= 3; i++) {
            assertEquals(secret, io.tdkvs.config.VolumeConfig.load(dir.resolve("volume" + i + ".yaml")).secret().orElseThrow(),
                    "the volumes share the master's secret");
        }
        assertTrue(plan.get(0).command(ServerRuntime.plain(home)).contains("-Dtdkvs.config=" + dir.resolve("volume1.yaml")), plan.get(0).command(ServerRuntime.plain(home))::toString);

        io.tdkvs.config.S3Config s3 = master.s3().orElseThrow();
        assertEquals(port + 900, s3.port(), "S3 at the port + 900");
        List<String> env = Files.readAllLines(dir.resolve("s3.env"));
        String accessKey = env.get(0).substring("AWS_ACCESS_KEY_ID=".length());
        assertEquals(List.of("AWS_ACCESS_KEY_ID=" + accessKey, "AWS_SECRET_ACCESS_KEY=" + s3.secret(accessKey).orElseThrow(),
                "AWS_ENDPOINT_URL=http://127.0.0.1:" + (port + 900), "AWS_REGION=" + s3.region()), env);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("s3.env"))));
    }

    @Test
    void theOperatorsConfigsAreKeptAndEveryVolumeConfigIsStarted() throws IOException {
        int port = freePorts();
        LocalCluster.plan(dir, port, home);
        String edited = Files.readString(dir.resolve("master.yaml")).replace("volumes:\n",
                "volumes:\n  - http://127.0.0.1:" + (port + 4) + "\n") + "moveRate: 100\n";
        Files.writeString(dir.resolve("master.yaml"), edited);
        Files.writeString(dir.resolve("volume4.yaml"), "port: " + (port + 4) + "\npath: volume4\n");
        Files.writeString(dir.resolve("volume10.yaml"), "port: " + (port + 5) + "\npath: volume10\n");

        List<Instance> plan = LocalCluster.plan(dir, port + 100, home);

        assertEquals(edited, Files.readString(dir.resolve("master.yaml")), "the master's config is as the operator left it");
        assertEquals(List.of("volume1", "volume2", "volume3", "volume4", "volume10", "master"),
                plan.stream().map(Instance::name).toList());
    }

    @Test
    void aNewGroupGetsThreeMastersTenPortsApartThatReplicateAHundredAbove() throws IOException {
        int port = freePorts();
        List<Instance> plan = LocalCluster.plan(dir, port, home, OptionalInt.of(3));

        assertEquals(List.of("volume1", "volume2", "volume3", "master1", "master2", "master3"),
                plan.stream().map(Instance::name).toList());
        assertEquals("http://127.0.0.1:" + (port + 20) + "/health/ready", plan.get(5).readiness().toString());
        for (int i = 1; i <= 3; i++) {
            MasterConfig master = MasterConfig.load(dir.resolve("master" + i + ".yaml"));
            GroupConfig group = master.group().orElseThrow();
            assertEquals("master" + i, group.self().name());
            assertEquals(port + (i - 1) * 10, master.port());
            assertEquals(port + (i - 1) * 10 + 100, group.self().replication().port());
            assertEquals(List.of("master1", "master2", "master3"), group.members().stream().map(GroupConfig.Member::name).toList());
            assertEquals(2, master.replicas());
            assertEquals(dir.resolve("master" + i + "-data"), master.data());
        }
        assertFalse(Files.exists(dir.resolve("master.yaml")));

        List<Instance> again = LocalCluster.plan(dir, port + 200, home);
        assertEquals(plan.stream().map(Instance::name).toList(), again.stream().map(Instance::name).toList(),
                "a later start runs the group as its configs say");
    }

    @Test
    void theNumberOfMastersOfAnExistingClusterCannotChangeFromTheCommandLine() throws IOException {
        int port = freePorts();
        LocalCluster.plan(dir, port, home);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LocalCluster.plan(dir, port, home, OptionalInt.of(3)));
        assertTrue(e.getMessage().contains("already holds a cluster of one master (master.yaml); --masters 3 applies to a new "
                + "cluster only"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LocalCluster.plan(dir.resolve("other"), port, home,
                OptionalInt.of(2))).getMessage().contains("--masters 2: a local cluster has one master, or a group of an odd number"));
    }

    /** The first of six free ports in a row, as a local cluster with room for more volumes needs. */
    private static int freePorts() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int first;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                first = socket.getLocalPort();
            }
            if (first < 65000 && free(first, 6)) {
                return first;
            }
        }
        throw new IllegalStateException("no six free ports in a row");
    }

    private static boolean free(int first, int count) {
        for (int port = first; port < first + count; port++) {
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                socket.getLocalPort();
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
