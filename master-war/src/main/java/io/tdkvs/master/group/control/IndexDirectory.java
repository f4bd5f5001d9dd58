package io.tdkvs.master.group.control;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.sleepycat.je.DatabaseConfig;
import com.sleepycat.je.Environment;
import com.sleepycat.je.EnvironmentConfig;

/**
 * What a master's index folder ({@code <data>/je}) holds before it is opened as a member of a group,
 * found without changing it: JE's log files, read by a read-only environment.
 */
enum IndexDirectory {
    /** no index: a new member (or one whose folder was lost), which joins its group and copies the index */
    EMPTY,
    /** the index of a master on its own: it becomes a group's first member once converted */
    STANDALONE,
    /** a member's replica of the group's index */
    MEMBER;

    /** JE's group database: only a replicated environment has it. */
    private static final String GROUP_DATABASE = "_jeRepGroupDB";

    static IndexDirectory of(Path directory) {
        if (!hasLogFiles(directory)) {
            return EMPTY;
        }
        EnvironmentConfig readOnly = new EnvironmentConfig().setReadOnly(true).setAllowCreate(false).setTransactional(false);
        Environment environment = new Environment(directory.toFile(), readOnly);
        try {
            try {
                environment.openDatabase(null, GROUP_DATABASE, new DatabaseConfig().setReadOnly(true)).close();
                return MEMBER;
            } catch (IllegalArgumentException | com.sleepycat.je.DatabaseNotFoundException e) {
                // no group database: a master's own index, or a member that never joined (it holds nothing)
                List<String> databases = environment.getDatabaseNames();
                return databases.contains("keys") ? STANDALONE : EMPTY;
            }
        } finally {
            environment.close();
        }
    }

    private static boolean hasLogFiles(Path directory) {
        if (!Files.isDirectory(directory)) {
            return false;
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.anyMatch(file -> file.getFileName().toString().endsWith(".jdb"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the index folder " + directory, e);
        }
    }
}
