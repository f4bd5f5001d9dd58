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

    private final int port;
    private final List<String> jvmOptions;
    private final Map<String, String> properties = new LinkedHashMap<>();

    /**
     * A server of {@code role} listening on {@code bind:port}, configured by {@code config}, with the
     * role's production JVM options.
     */
    public PayaraCommand(ServerRole role, Path config, int port, String bind) {
        this.port = port;
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
                "--prebootcommandfile", copyResource(PREBOOT, filesDir).toString(),
                "--logproperties", copyResource(LOGGING, filesDir).toString());
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
