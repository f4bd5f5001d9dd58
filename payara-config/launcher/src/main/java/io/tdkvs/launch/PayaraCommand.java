package io.tdkvs.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a tdkvs server runs on Payara Micro: {@code java <jvm arguments> -jar <payara micro> <payara
 * arguments> --deploy <war>}. The launcher and the integration suite's Arquillian containers take the
 * arguments from here, so both run a server the same way: same JVM options, pre-boot command file and logging.
 * Payara Micro reads the command files from disk, so they are written to a folder of the caller's choosing.
 */
public final class PayaraCommand {

    /** Accept a backslash (%5C) in a key; Payara refuses it in a path otherwise. */
    static final String ALLOW_BACKSLASH = "org.glassfish.grizzly.tcp.tomcat5.CoyoteAdapter.ALLOW_BACKSLASH";
    static final String PREBOOT = "preboot.txt";
    static final String LOGGING = "logging.properties";
    static final String S3_LISTENER = "s3-listener";

    private final int port;
    private final String bind;
    private final List<String> jvmOptions;
    private Integer s3Port;
    private final Map<String, String> properties = new LinkedHashMap<>();

    /**
     * A server of {@code role} listening on {@code bind:port}, configured by {@code config}, with the
     * role's production JVM options.
     */
    public PayaraCommand(ServerRole role, Path config, int port, String bind) {
        this.port = port;
        this.bind = bind;
        this.jvmOptions = new ArrayList<>(role.javaOptions());
        properties.put("tdkvs.config", config.toString());
        properties.put("tdkvs.bind", bind);
        properties.put(ALLOW_BACKSLASH, "true");
        properties.putAll(role.properties());
    }

    /** Replaces the JVM options. */
    public PayaraCommand jvmOptions(List<String> options) {
        jvmOptions.clear();
        jvmOptions.addAll(options);
        return this;
    }

    /** A second HTTP listener, on {@code s3Port} at the same address, for the master's S3 endpoint. */
    public PayaraCommand s3Port(int s3Port) {
        this.s3Port = s3Port;
        return this;
    }

    public PayaraCommand property(String name, String value) {
        properties.put(name, value);
        return this;
    }

    /** What goes between {@code java} and {@code -jar}: the JVM options and the system properties. */
    public List<String> jvmArguments() {
        List<String> arguments = new ArrayList<>(jvmOptions);
        properties.forEach((name, value) -> arguments.add("-D" + name + "=" + value));
        return arguments;
    }

    /** Payara Micro's options, but for the WAR to deploy; its command files are written to {@code filesDir}. */
    public List<String> payaraArguments(Path filesDir) {
        return List.of("--nohazelcast", "--disablephonehome",
                "--port", Integer.toString(port),
                "--prebootcommandfile", preboot(filesDir).toString(),
                "--logproperties", copyResource(LOGGING, filesDir).toString());
    }

    /** The pre-boot commands: the resource's, and those that make the S3 listener if there is one. */
    private Path preboot(Path filesDir) {
        Path file = copyResource(PREBOOT, filesDir);
        if (s3Port != null) {
            String http = "set configs.config.server-config.network-config.protocols.protocol." + S3_LISTENER + ".http.";
            String commands = "\n# The S3 endpoint's listener: the same settings as the first one's, on its own port.\n"
                    + "create-protocol --securityenabled=false " + S3_LISTENER + "\n"
                    + "create-http --default-virtual-server=server " + S3_LISTENER + "\n"
                    + "create-network-listener --protocol=" + S3_LISTENER + " --listenerport=" + s3Port + " --address=" + bind
                    + " --threadpool=http-thread-pool " + S3_LISTENER + "\n"
                    + http + "xpowered-by=false\n"
                    + http + "header-buffer-length-bytes=65536\n"
                    + http + "max-connections=-1\n"
                    + http + "comet-support-enabled=false\n"
                    + http + "websockets-support-enabled=false\n";
            try {
                Files.writeString(file, commands, java.nio.charset.StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the Payara Micro file " + file, e);
            }
        }
        return file;
    }

    private static Path copyResource(String name, Path directory) {
        try (InputStream in = PayaraCommand.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " in the launcher's jar");
            }
            Files.createDirectories(directory);
            Path target = directory.resolve(name);
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the Payara Micro file " + name + " to " + directory, e);
        }
    }
}
