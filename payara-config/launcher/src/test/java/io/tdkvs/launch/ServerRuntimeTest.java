package io.tdkvs.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerRuntimeTest {

    @TempDir
    Path dir;

    @Test
    void theNewestJdkRunsTheServersUnlessTdkvsJavaNamesOne() throws IOException {
        Path own = jdk("own", "17.0.15");
        Path installed = dir.resolve("jvm");
        jdk("jvm/java-17-openjdk-amd64", "17.0.15");
        Path newest = jdk("jvm/temurin-25-jdk-amd64", "25.0.3");
        jdk("jvm/temurin-21-jdk-amd64", "21.0.7");
        Files.createDirectories(installed.resolve("not-a-jdk"));

        ServerJava chosen = ServerJava.choose(Map.of(), own, installed);
        assertEquals(newest.resolve("bin/java"), chosen.java());
        assertEquals("25.0.3", chosen.version());
        assertTrue(chosen.keepsAStartupCache());
        assertEquals(List.of("-XX:TrimNativeHeapInterval=60000", "--sun-misc-unsafe-memory-access=allow",
                "--enable-native-access=ALL-UNNAMED"), chosen.requiredOptions());

        ServerJava asked = ServerJava.choose(Map.of(ServerJava.ENV, own.resolve("bin/java").toString()), own, installed);
        assertEquals(own.resolve("bin/java"), asked.java());
        assertFalse(asked.keepsAStartupCache());
        assertEquals(List.of(), asked.requiredOptions());
        assertEquals(own.resolve("bin/java"), ServerJava.choose(Map.of(), own, dir.resolve("nothing")).java());
    }

    /**
     * The cache keeps the levels methods were compiled at and their profiles: its training run never limits the
     * compilers, nor makes them compile sooner than a production server does.
     */
    @Test
    void theStartupCacheIsTrainedWithTheCompilersUnlimited() {
        assertEquals(List.of("-Xmx256m", "-XX:+UseSerialGC", "-Xss512k"), StartupCache.trainingOptions(List.of("-Xmx256m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-XX:-TieredCompilation", "-Xint", "-XX:CompilationMode=quick-only",
                "-XX:CompileThresholdScaling=0.25")));
    }

    @Test
    void tdkvsJavaThatIsNoJdkOrTooOldIsRefusedWithTheReason() throws IOException {
        Path old = jdk("old", "11.0.2");
        String notAJdk = assertThrows(IllegalArgumentException.class,
                () -> ServerJava.choose(Map.of(ServerJava.ENV, dir.resolve("nowhere").toString()), old, dir)).getMessage();
        assertTrue(notAJdk.contains("TDKVS_JAVA=") && notAJdk.contains("is not a JDK"), notAJdk);
        String tooOld = assertThrows(IllegalArgumentException.class,
                () -> ServerJava.choose(Map.of(ServerJava.ENV, old.toString()), old, dir)).getMessage();
        assertTrue(tooOld.contains("is Java 11.0.2; the servers need Java 17 or newer"), tooOld);
    }

    @Test
    void aServerRootLinksThePreparedJarsAndCopiesWhatPayaraRewrites() throws IOException {
        Path root = dir.resolve("root");
        Files.createDirectories(root.resolve("runtime"));
        Files.createDirectories(root.resolve("config"));
        Files.writeString(root.resolve(PayaraRuntime.LAUNCHER), "launcher");
        Files.writeString(root.resolve("runtime/core.jar"), "core");
        Files.writeString(root.resolve("config/domain.xml"), "<domain/>");

        Path server = PayaraRuntime.instanceRoot(root, dir.resolve("server/root"));
        Files.writeString(server.resolve("config/domain.xml"), "<domain changed/>");
        Files.writeString(server.resolve("config/written-by-payara"), "x");
        assertEquals("<domain/>", Files.readString(root.resolve("config/domain.xml")), "the prepared one is untouched");
        assertTrue(Files.isSameFile(root.resolve("runtime/core.jar"), server.resolve("runtime/core.jar")), "linked");
        assertEquals("launcher", Files.readString(server.resolve(PayaraRuntime.LAUNCHER)));

        PayaraRuntime.instanceRoot(root, server);
        assertEquals("<domain/>", Files.readString(server.resolve("config/domain.xml")), "made anew at each start");
        assertFalse(Files.exists(server.resolve("config/written-by-payara")));
    }

    @Test
    void aServerFromAPreparedRuntimeStartsFromItsOwnRootOrWithTheCacheFromTheSharedOne() throws IOException {
        for (String file : List.of(Instance.PAYARA_JAR, ServerRole.VOLUME.war())) {
            Files.createDirectories(dir.resolve(file).getParent());
            Files.writeString(dir.resolve(file), "");
        }
        Path root = Files.createDirectories(dir.resolve("prepared"));
        Files.writeString(root.resolve(PayaraRuntime.LAUNCHER), "launcher");
        Files.createDirectories(root.resolve("config"));
        Files.writeString(root.resolve("config/domain.xml"), "<domain/>");
        ServerJava java = new ServerJava(dir.resolve("jdk/bin/java"), "25.0.3", 25);
        Path config = Files.writeString(dir.resolve("v.yaml"), "port: 1\npath: v\n");
        Instance volume = Instance.volume("volume", io.tdkvs.config.VolumeConfig.load(config), dir);
        Path own = dir.resolve("v/payara/root");

        List<String> uncached = volume.command(new ServerRuntime(java, dir.resolve(Instance.PAYARA_JAR), Optional.of(root),
                Optional.empty()));
        assertEquals(own.resolve(PayaraRuntime.LAUNCHER).toString(), uncached.get(uncached.indexOf("-jar") + 1));
        assertTrue(Files.isRegularFile(own.resolve(PayaraRuntime.LAUNCHER)));

        Path cache = dir.resolve("startup.aot");
        List<String> command = volume.command(new ServerRuntime(java, dir.resolve(Instance.PAYARA_JAR), Optional.of(root),
                Optional.of(cache)));
        assertEquals(java.java().toString(), command.get(0));
        assertTrue(command.containsAll(List.of("--sun-misc-unsafe-memory-access=allow", "-XX:AOTCache=" + cache,
                "-XX:ArchiveRelocationMode=0", "-Dfish.payara.micro.UnpackDir=" + root)), command::toString);
        int jar = command.indexOf("-jar");
        assertEquals(List.of(root.resolve(PayaraRuntime.INSTANCE_LAUNCHER).toString(), "--rootdir", own.toString()),
                command.subList(jar + 1, jar + 4), "the class path the cache was made with, and a root of its own");
        assertFalse(Files.exists(own.resolve(PayaraRuntime.LAUNCHER)), "its own root holds only what Payara writes");
        assertEquals("<domain/>", Files.readString(own.resolve("config/domain.xml")));
        assertEquals(List.of("--deploy", dir.resolve(ServerRole.VOLUME.war()).toString()),
                command.subList(command.size() - 2, command.size()));
    }

    @Test
    void theInstanceLauncherStartsPayaraMicroOnTheLauncherJarWithItsModuleOptions() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "fish.payara.micro.impl.RootDirLauncher");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, "runtime/a.jar runtime/b.jar");
        manifest.getMainAttributes().putValue("Add-Opens", "java.base/java.lang java.base/java.io");
        manifest.getMainAttributes().putValue("Add-Exports", "java.base/jdk.internal.ref");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(root.resolve(PayaraRuntime.LAUNCHER)), manifest)) {
            out.flush();
        }

        Files.createDirectories(root.resolve(PayaraRuntime.VERSION_FILE).getParent());
        Files.writeString(root.resolve(PayaraRuntime.VERSION_FILE), "major_version=6\n");

        PayaraRuntime.writeInstanceLauncher(root);

        try (JarFile jar = new JarFile(root.resolve(PayaraRuntime.INSTANCE_LAUNCHER).toFile())) {
            Attributes written = jar.getManifest().getMainAttributes();
            assertEquals(PayaraRuntime.MAIN, written.getValue(Attributes.Name.MAIN_CLASS));
            assertEquals(PayaraRuntime.LAUNCHER, written.getValue(Attributes.Name.CLASS_PATH));
            assertEquals("java.base/java.lang java.base/java.io", written.getValue("Add-Opens"));
            assertEquals("java.base/jdk.internal.ref", written.getValue("Add-Exports"));
            assertEquals(List.of("META-INF/MANIFEST.MF", PayaraRuntime.VERSION_ENTRY), jar.stream().map(JarEntry::getName).toList(),
                    "a manifest and Payara Micro's version, no classes");
            assertEquals("major_version=6\n", new String(jar.getInputStream(jar.getEntry(PayaraRuntime.VERSION_ENTRY)).readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private Path jdk(String folder, String version) throws IOException {
        Path home = Files.createDirectories(dir.resolve(folder).resolve("bin")).getParent();
        Path java = Files.writeString(home.resolve("bin/java"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
        return home;
    }
}
