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
 * The command that runs one tdkvs WAR on Payara Micro:
 * {@code java <jvm options> -D<properties> -jar payara-micro.jar --port <port> ... --deploy <war>}.
 * The pre-boot command file and the logging configuration come from this module and are written to
 * a folder of the caller's choosing, because Payara Micro reads them from files.
 */
public final class PayaraCommand {

    /** Accept a backslash (%5C) in a key; Payara refuses it in a path otherwise. */
    static final String ALLOW_BACKSLASH = "org.glassfish.grizzly.tcp.tomcat5.CoyoteAdapter.ALLOW_BACKSLASH";

    private final Path java;
    private final Path payaraJar;
    private final Path war;
    private final int port;
    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, String> properties = new LinkedHashMap<>();

    public PayaraCommand(Path java, Path payaraJar, Path war, int port, String bind) {
        this.java = java;
        this.payaraJar = payaraJar;
        this.war = war;
        this.port = port;
        properties.put("tdkvs.bind", bind);
        properties.put(ALLOW_BACKSLASH, "true");
    }

    public PayaraCommand jvmOptions(List<String> options) {
        jvmOptions.addAll(options);
        return this;
    }

    public PayaraCommand property(String name, String value) {
        properties.put(name, value);
        return this;
    }

    /** The command line; the Payara command files are written to {@code filesDir} first. */
    public List<String> build(Path filesDir) {
        Path preboot = copyResource("preboot.txt", filesDir);
        Path logging = copyResource("logging.properties", filesDir);
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmOptions);
        properties.forEach((name, value) -> command.add("-D" + name + "=" + value));
        command.addAll(List.of("-jar", payaraJar.toString(),
                "--nohazelcast", "--disablephonehome",
                "--port", Integer.toString(port),
                "--prebootcommandfile", preboot.toString(),
                "--logproperties", logging.toString(),
                "--deploy", war.toString()));
        return command;
    }

    private static Path copyResource(String name, Path directory) {
        try (InputStream in = PayaraCommand.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " in the payara-config jar");
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
