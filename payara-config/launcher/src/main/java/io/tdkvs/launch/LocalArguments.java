package io.tdkvs.launch;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * {@code tdkvs local [--masters <n>] [--restart] [<folder>]}: how many masters a new local cluster
 * gets, whether a server that ends is started again (else the others stop, but for a master of a group
 * that goes on; the script acts on it), and its folder ({@code ./local} by default).
 */
record LocalArguments(OptionalInt masters, boolean restart, Path folder) {

    static LocalArguments parse(List<String> args) {
        OptionalInt masters = OptionalInt.empty();
        boolean restart = false;
        Path folder = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--masters") || arg.equals("-masters") || arg.startsWith("--masters=") || arg.startsWith("-masters=")) {
                if (masters.isPresent()) {
                    throw new Arguments.UsageException("--masters is given twice");
                }
                String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : i + 1 < args.size() ? args.get(++i) : "";
                try {
                    masters = OptionalInt.of(Integer.parseInt(value));
                } catch (NumberFormatException e) {
                    throw new Arguments.UsageException("--masters needs a number of masters (1, 3 or 5), not `" + value + "`");
                }
            } else if (arg.equals("--restart")) {
                restart = true;
            } else if (arg.startsWith("-")) {
                throw new Arguments.UsageException("unknown flag " + arg + " for `tdkvs local`; it takes --masters <n>, --restart "
                        + "and a folder");
            } else if (folder != null) {
                throw new Arguments.UsageException("`tdkvs local` takes at most one folder");
            } else {
                folder = Path.of(arg);
            }
        }
        return new LocalArguments(masters, restart, folder == null ? Path.of("local") : folder);
    }
}
