package io.tdkvs.launch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How a server starts: {@code java <jvm arguments> -jar <jar> <payara arguments> --deploy <war>}, on a prepared
 * runtime (its JDK, Payara Micro root and start-up cache, {@link ServerRuntime}). The launcher runs this command;
 * the integration suite's Arquillian containers, which start Payara Micro in this very shape, take its parts, so
 * that a server they start runs as one that {@code tdkvs} starts.
 *
 * @param java             the {@code java} executable
 * @param jvmArguments     what goes between {@code java} and {@code -jar}
 * @param jar              the jar that starts Payara Micro
 * @param payaraArguments  Payara Micro's options, but for the WAR to deploy
 */
public record JarLaunch(Path java, List<String> jvmArguments, Path jar, List<String> payaraArguments) {

    public JarLaunch {
        jvmArguments = List.copyOf(jvmArguments);
        payaraArguments = List.copyOf(payaraArguments);
    }

    /**
     * The start of {@code payara}, its files in {@code filesDir}, on the JDK at {@code javaHome} with the runtime the
     * launcher prepares under {@code home} for that JDK (made now if missing).
     */
    public static JarLaunch prepared(Path home, Path javaHome, PayaraCommand payara, Path filesDir) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put(ServerJava.ENV, javaHome.toString());
        return on(ServerRuntime.prepare(home, env, Instance.javaOptions(ServerRole.VOLUME), System.err), payara, filesDir);
    }

    /** The start of {@code payara} on {@code runtime}; from a prepared runtime, this makes its root folder anew. */
    static JarLaunch on(ServerRuntime runtime, PayaraCommand payara, Path filesDir) {
        List<String> payaraArguments = new ArrayList<>(payara.payaraArguments(filesDir)); // first: it says best why filesDir is unusable
        PayaraRuntime.JarStart launch = runtime.launch(filesDir);
        List<String> jvmArguments = new ArrayList<>(runtime.jvmOptions());
        jvmArguments.addAll(payara.jvmArguments());
        jvmArguments.addAll(launch.properties());
        payaraArguments.addAll(0, launch.options());
        return new JarLaunch(runtime.java().java(), jvmArguments, launch.jar(), payaraArguments);
    }

    /** The whole command line that deploys {@code war}. */
    List<String> command(Path war) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmArguments);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(payaraArguments);
        command.addAll(List.of("--deploy", war.toString()));
        return command;
    }
}
