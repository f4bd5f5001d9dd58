package io.tdkvs.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.jboss.arquillian.config.descriptor.api.ArquillianDescriptor;
import org.jboss.arquillian.config.descriptor.api.ContainerDef;
import org.jboss.arquillian.config.descriptor.api.GroupDef;
import org.jboss.arquillian.core.api.annotation.Observes;
import org.jboss.arquillian.core.spi.LoadableExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import io.tdkvs.launch.JarLaunch;
import io.tdkvs.launch.PayaraCommand;
import io.tdkvs.launch.ServerRole;

/**
 * Makes every container of arquillian.xml a tdkvs server that runs as a production one does. Before
 * Arquillian sets its containers up, each gets a free port on 127.0.0.1, an empty folder under
 * {@code target/arquillian/<name>} with its config file (a master's lists the volumes of its cluster), and
 * the JVM options, pre-boot command file and logging of {@link PayaraCommand}, the launcher's own (but for
 * the suite's JIT options, {@link Environment#jitOpts}, which every server the tests start runs with). Its JVM's
 * temp directory is in that folder too, so that a Payara Micro runtime that was not removed when the
 * container stopped is removed with the folder by the next run, instead of staying in /tmp. The container
 * starts {@code java -jar} on the JDK that runs the tests, which the build makes the one the launcher picks
 * ({@code tdkvs prepare} names it): so it runs on the launcher's prepared runtime, with its start-up cache, as
 * the servers the other tests start through the launcher do ({@link JarLaunch}).
 */
public final class ArquillianServers implements LoadableExtension {

    /** The admin token in the config of every master deployed through Arquillian. */
    public static final String ADMIN_TOKEN = Cluster.ADMIN_TOKEN;

    private static final Map<String, Integer> PORTS = new LinkedHashMap<>();

    @Override
    public void register(ExtensionBuilder builder) {
        builder.observer(Configurer.class);
    }

    /** The base URI of the server of a container, on 127.0.0.1. */
    public static synchronized URI uri(String container) {
        Integer port = PORTS.get(container);
        if (port == null) {
            throw new IllegalArgumentException("no container " + container + " in arquillian.xml");
        }
        return URI.create("http://127.0.0.1:" + port);
    }

    /**
     * Where a deployed server answers: Arquillian names the machine's first address, and everything the
     * tests start is reached on 127.0.0.1.
     */
    public static URI local(URL deployed) {
        return URI.create("http://127.0.0.1:" + deployed.getPort());
    }

    /** A built WAR of the project ({@code master.war}, {@code volume.war}), for a {@code @Deployment}. */
    public static WebArchive war(String name) {
        return ShrinkWrap.createFromZipFile(WebArchive.class, Environment.target().resolve(name).toFile());
    }

    /** Observes the configuration as Arquillian reads it, before it creates the containers. */
    public static final class Configurer {

        public void configure(@Observes(precedence = 100) ArquillianDescriptor descriptor) {
            List<ContainerDef> containers = Stream.concat(descriptor.getContainers().stream(),
                    descriptor.getGroups().stream().map(GroupDef::getGroupContainers).flatMap(List::stream)).toList();
            synchronized (ArquillianServers.class) {
                containers.forEach(container -> PORTS.put(container.getContainerName(), Environment.freePort()));
            }
            for (ContainerDef container : containers) {
                configure(container, containers);
            }
        }

        private static void configure(ContainerDef container, List<ContainerDef> all) {
            String name = container.getContainerName();
            boolean master = name.endsWith("-master");
            Path dir = fresh(Environment.target().resolve("arquillian").resolve(name));
            int port = uri(name).getPort();
            String yaml = master
                    ? "port: " + port + "\nvolumes:\n" + volumesOf(cluster(name), all) + "data: " + dir.resolve("data")
                    + "\ntoken: " + ADMIN_TOKEN + "\n" + ClusterSecret.yaml()
                    : "port: " + port + "\npath: " + dir.resolve("data") + "\n" + ClusterSecret.yaml();
            Path config = write(dir.resolve(name + ".yaml"), yaml);
            ServerRole role = master ? ServerRole.MASTER : ServerRole.VOLUME;
            List<String> options = new ArrayList<>(role.javaOptions());
            options.addAll(List.of(Environment.jitOpts().strip().split("\\s+")));
            PayaraCommand command = new PayaraCommand(role, config, port, "127.0.0.1").jvmOptions(options)
                    .property("java.io.tmpdir", createDirectories(dir.resolve("tmp")).toString());
            JarLaunch launch = JarLaunch.prepared(Environment.home(), Path.of(System.getProperty("java.home")), command,
                    dir.resolve("payara"));
            container.property("microJar", launch.jar().toString());
            container.property("cmdOptions", words(launch.jvmArguments()));
            container.property("extraMicroOptions", words(launch.payaraArguments()));
            // Without it the container adds --nocluster, which makes Payara Micro boot from another domain.xml than
            // a production server's; Hazelcast stays off by the launcher's --nohazelcast.
            container.property("clusterEnabled", "true");
            container.property("randomHttpPort", "false");
            container.property("autoBindHttp", "false");
            container.property("startupTimeoutInSeconds", "180");
            container.property("outputToConsole", "true");
        }

        /** The YAML list of a cluster's volumes (not its spares). */
        private static String volumesOf(String cluster, List<ContainerDef> all) {
            return all.stream().map(ContainerDef::getContainerName)
                    .filter(name -> name.startsWith(cluster + "-volume"))
                    .map(name -> "  - " + uri(name) + "\n")
                    .collect(Collectors.joining());
        }

        private static String cluster(String container) {
            return container.substring(0, container.indexOf('-'));
        }

        /** The words of a command line as the container splits them: on spaces, unless escaped. */
        private static String words(List<String> words) {
            return words.stream().map(word -> word.replace(" ", "\\ ")).collect(Collectors.joining(" "));
        }

        private static Path createDirectories(Path dir) {
            try {
                return Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static Path fresh(Path dir) {
            try {
                if (Files.exists(dir)) {
                    try (Stream<Path> old = Files.walk(dir)) {
                        for (Path path : old.sorted(Comparator.reverseOrder()).toList()) {
                            Files.delete(path);
                        }
                    }
                }
                return Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static Path write(Path file, String text) {
            try {
                return Files.writeString(file, text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
