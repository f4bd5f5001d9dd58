package io.tdkvs.launch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.tdkvs.config.MasterConfig;

/**
 * A command line in the style operators know from the original tool: a role, then flags written
 * {@code -name=value}, {@code --name=value} or {@code -name value}; a switch such as
 * {@code -rebuild} takes no value.
 */
record Arguments(String role, Map<String, String> flags) {

    private static final Map<String, Set<String>> FLAGS = Map.of(
            "master", Set.of("config", "delete", "rebuild"),
            "volume", Set.of("config"),
            "verify", Set.of("config"));
    private static final Set<String> SWITCHES = Set.of("rebuild");

    static Arguments parse(List<String> args) {
        if (args.isEmpty() || !FLAGS.containsKey(args.get(0))) {
            throw new UsageException(args.isEmpty() ? "expected `master`, `volume`, `verify` or `local`"
                    : "unknown command `" + args.get(0) + "`; expected `master`, `volume`, `verify` or `local`");
        }
        String role = args.get(0);
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 1; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("-") || arg.equals("-") || arg.equals("--")) {
                throw new UsageException("unexpected argument `" + arg + "`");
            }
            String flag = arg.replaceFirst("^--?", "");
            String name = flag.contains("=") ? flag.substring(0, flag.indexOf('=')) : flag;
            if (!FLAGS.get(role).contains(name)) {
                throw new UsageException("unknown flag -" + name + " for `tdkvs " + role + "`");
            }
            String value;
            if (SWITCHES.contains(name)) {
                if (flag.contains("=")) {
                    throw new UsageException("-" + name + " takes no value");
                }
                value = "true";
            } else if (flag.contains("=")) {
                value = flag.substring(flag.indexOf('=') + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new UsageException("-" + name + " needs a value");
            }
            if (flags.put(name, value) != null) {
                throw new UsageException("-" + name + " is given twice");
            }
        }
        if (flags.getOrDefault("config", "").isBlank()) {
            throw new UsageException("the config file is required: -config=<file>");
        }
        if (flags.containsKey("delete") && flags.containsKey("rebuild")) {
            throw new UsageException("-delete and -rebuild cannot be combined: rebuild the index first, then delete");
        }
        return new Arguments(role, flags);
    }

    String config() {
        return flags.get("config");
    }

    /** {@code -rebuild}: recreate a lost index from the volumes' blobs. */
    boolean rebuild() {
        return flags.containsKey("rebuild");
    }

    Optional<Integer> delete() {
        String value = flags.get("delete");
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(MasterConfig.deleteIndex(value));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** A command line that cannot be run; the message says why. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
