package io.tdkvs.launch;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import io.tdkvs.config.ConfigException;
import io.tdkvs.config.MasterConfig;
import io.tdkvs.config.VolumeConfig;

/**
 * The Java half of the {@code tdkvs} script. It validates the command line and the config files, then
 * prints, NUL-separated, what the script is to run:
 * <ul>
 * <li>{@code master -config=<file> [-delete=<index> | -rebuild]}, {@code volume -config=<file>}: the Payara Micro
 *     command, which the script becomes;</li>
 * <li>{@code local <folder>}: for every server of the local cluster its name, readiness URL, log file,
 *     the number of words of its command and the command, for the script to start and watch;</li>
 * <li>{@code prepare}: nothing; it prepares what the servers run on ({@link ServerRuntime}) and says what that
 *     is, which every start does anyway when it is missing.</li>
 * </ul>
 * A bad command line, config file or port stops here with exit status 2 and a message naming the
 * file, the field and what is wrong.
 */
public final class Tdkvs {

    private Tdkvs() {
    }

    public static void main(String[] args) throws IOException {
        List<String> output;
        try {
            Path home = Path.of(System.getProperty("tdkvs.home", "."));
            output = run(Arrays.asList(args), home, () -> ServerRuntime.prepare(home, System.getenv(),
                    Instance.javaOptions(ServerRole.VOLUME), System.err));
        } catch (Arguments.UsageException e) {
            exit("tdkvs: " + e.getMessage() + "\nRun `tdkvs --help` for the usage.");
            return;
        } catch (ConfigException | IllegalArgumentException | IllegalStateException e) {
            exit("tdkvs: " + e.getMessage());
            return;
        } catch (UncheckedIOException e) {
            exit("tdkvs: " + e.getMessage() + " (" + e.getCause().getMessage() + ")");
            return;
        }
        OutputStream out = System.out;
        for (String part : output) {
            out.write(part.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        out.flush();
    }

    /** What the script is to run; {@code runtime} is asked for once the command line and configs are found good. */
    static List<String> run(List<String> args, Path home, Supplier<ServerRuntime> runtime) {
        if (!args.isEmpty() && args.get(0).equals("prepare")) {
            if (args.size() > 1) {
                throw new Arguments.UsageException("`tdkvs prepare` takes no arguments");
            }
            ServerRuntime prepared = runtime.get();
            prepared.noteJava(home);
            System.err.println("tdkvs: servers run on Java " + prepared.java().version() + " (" + prepared.java().java()
                    + ")" + prepared.root().map(root -> ", from Payara Micro's runtime in " + root).orElse("")
                    + prepared.cache().map(cache -> ", with the start-up cache " + cache).orElse(", without a start-up cache"));
            return List.of();
        }
        if (!args.isEmpty() && args.get(0).equals("local")) {
            LocalArguments local = LocalArguments.parse(args.subList(1, args.size()));
            Path dir = local.folder().toAbsolutePath().normalize();
            List<Instance> instances = LocalCluster.plan(dir, localPort(), home, local.masters());
            ServerRuntime prepared = runtime.get();
            List<String> plan = new ArrayList<>();
            for (Instance instance : instances) {
                List<String> command = instance.command(prepared);
                plan.addAll(List.of(instance.name(), instance.description(), instance.readiness().toString(),
                        dir.resolve(instance.name() + ".log").toString(), Integer.toString(command.size())));
                plan.addAll(command);
            }
            return plan;
        }
        Instance instance = instance(Arguments.parse(args), home);
        ServerRuntime prepared = runtime.get();
        System.err.println("tdkvs: " + instance.description());
        return instance.command(prepared);
    }

    static Instance instance(Arguments arguments, Path home) {
        if (arguments.role().equals("verify")) {
            throw new Arguments.UsageException("`tdkvs verify` talks to a running master; it starts no server");
        }
        Path config = Path.of(arguments.config());
        return arguments.role().equals("master")
                ? Instance.master(MasterConfig.load(config), arguments.delete(), arguments.rebuild(), home)
                : Instance.volume("volume", VolumeConfig.load(config), home);
    }

    private static int localPort() {
        String port = System.getenv("TDKVS_LOCAL_PORT");
        if (port == null || port.isBlank()) {
            return LocalCluster.DEFAULT_PORT;
        }
        try {
            int base = Integer.parseInt(port.strip());
            if (base > 0 && base < 65535 - 1000) {
                return base;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("TDKVS_LOCAL_PORT=" + port + " is not a TCP port for the master (1-64534)");
    }

    private static void exit(String message) {
        System.err.println(message);
        System.exit(2);
    }
}
