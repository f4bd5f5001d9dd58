package io.tdkvs.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.tdkvs.config.ConfigException;
import io.tdkvs.config.MasterConfig;

/**
 * {@code tdkvs verify -config=<master.yaml>}: asks the running master of that config to verify every
 * volume against its index ({@code POST /admin/verify}, with the config's admin token), follows it
 * until it is done and every repair it started has ended, and prints what it found. Exit status 0
 * when every copy is good or repaired; 1 when the master does not answer, refuses, fails, or copies
 * could not be repaired; 2 for a bad command line or config.
 */
public final class VerifyCommand {

    private static final Duration POLL = Duration.ofMillis(500);
    private static final Pattern NUMBER = Pattern.compile("\"(\\w+)\":(-?\\d+)");
    private static final Pattern TEXT = Pattern.compile("\"(state|message)\":\"((?:[^\"\\\\]|\\\\.)*)\"");

    private VerifyCommand() {
    }

    public static void main(String[] args) {
        MasterConfig config;
        try {
            Arguments arguments = Arguments.parse(Stream.concat(Stream.of("verify"), Arrays.stream(args)).toList());
            config = MasterConfig.load(Path.of(arguments.config()));
        } catch (Arguments.UsageException e) {
            System.err.println("tdkvs: " + e.getMessage() + "\nRun `tdkvs --help` for the usage.");
            System.exit(2);
            return;
        } catch (ConfigException e) {
            System.err.println("tdkvs: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (config.token().isEmpty()) {
            System.err.println("tdkvs: " + config.file() + " sets no token; verify uses the admin API, which needs one");
            System.exit(2);
        }
        System.exit(run(config, System.err));
    }

    /** Runs a verify; answers the exit status. */
    static int run(MasterConfig config, PrintStream out) {
        String host = config.bind().equals("0.0.0.0") || config.bind().equals("::") ? "127.0.0.1" : config.bind();
        URI master = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + config.port());
        try {
            Answer started = request(master.resolve("/admin/verify"), "POST", config.token().orElseThrow());
            if (started.status() != 202) {
                out.println("tdkvs: the master at " + master + " refused the verify (" + started.status() + "): " + started.body().strip());
                return 1;
            }
            out.println("tdkvs: verifying every volume of " + master + " against its index");
            // followed by the time it began: the master may begin another (of a volume that answers again) as it ends
            URI verify = master.resolve("/admin/verify/" + text(started.body(), "started"));
            String last = "";
            while (true) {
                Answer status = request(verify, "GET", null);
                if (status.status() != 200) {
                    out.println("tdkvs: the master at " + master + " lost track of the verify (" + status.status() + "): "
                            + status.body().strip());
                    return 1;
                }
                String state = text(status.body(), "state");
                long pending = number(status.body(), "repairsPending");
                String line = "verify " + state + ": " + summary(status.body()) + "; repairs pending " + pending;
                if (!line.equals(last)) {
                    out.println(line);
                    last = line;
                }
                if (state.equals("failed")) {
                    out.println("tdkvs: the verify failed: " + text(status.body(), "message"));
                    return 1;
                }
                if (state.equals("done") && pending == 0) {
                    return number(status.body(), "unrepairable") > 0 ? 1 : 0;
                }
                Thread.sleep(POLL.toMillis());
            }
        } catch (IOException e) {
            out.println("tdkvs: the master at " + master + " does not answer (" + e.getMessage() + ")");
            return 1;
        } catch (UncheckedIOException e) {
            out.println("tdkvs: the master at " + master + " answered outside the API: " + e.getCause().getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static String summary(String json) {
        String summary = String.format("%d keys, %d copies checked, %d missing, %d damaged, %d unrepairable, %d orphans removed, %d copies repaired",
                number(json, "keys"), number(json, "copies"), number(json, "missing"), number(json, "damaged"),
                number(json, "unrepairable"), number(json, "orphans"), number(json, "repaired"));
        long parts = NUMBER.matcher(json).results().anyMatch(field -> field.group(1).equals("uploadParts")) ? number(json, "uploadParts") : 0;
        if (parts > 0) {
            summary += String.format(" (%d keys are parts of multipart uploads not completed, %d bytes)", parts, number(json, "uploadBytes"));
        }
        return summary;
    }

    private record Answer(int status, String body) {
    }

    private static Answer request(URI uri, String method, String token) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        connection.setRequestMethod(method);
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(30_000);
        if (token != null) {
            connection.setRequestProperty("Authorization", "Bearer " + token);
            connection.setDoOutput(true);
            connection.getOutputStream().close();
        }
        int status = connection.getResponseCode();
        try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            return new Answer(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static long number(String json, String field) {
        Matcher matcher = NUMBER.matcher(json);
        while (matcher.find()) {
            if (matcher.group(1).equals(field)) {
                return Long.parseLong(matcher.group(2));
            }
        }
        throw new UncheckedIOException(new IOException("the master's answer lacks " + field + ": " + json));
    }

    private static String text(String json, String field) {
        Matcher matcher = TEXT.matcher(json);
        while (matcher.find()) {
            if (matcher.group(1).equals(field)) {
                return matcher.group(2);
            }
        }
        return "";
    }
}
