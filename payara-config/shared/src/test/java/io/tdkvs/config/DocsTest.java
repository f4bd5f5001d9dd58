package io.tdkvs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The README and {@code docs/} cannot drift from each other or from the code: every relative link resolves
 * (the file, and the heading a {@code #fragment} names), and the config tables of {@code docs/running.md}
 * list exactly the fields the config records read.
 */
class DocsTest {

    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern ROW_FIELD = Pattern.compile("^\\| `([A-Za-z0-9]+)` \\|");

    @Test
    void everyRelativeLinkResolves() throws IOException {
        List<Path> documents = documents();
        assertTrue(documents.size() >= 6, "README and docs: " + documents);
        List<String> broken = new ArrayList<>();
        for (Path document : documents) {
            for (String target : links(document)) {
                if (target.matches("[a-z]+:.*")) {
                    continue; // http:, https:, mailto:
                }
                String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                Path resolved = file.isEmpty() ? document : document.getParent().resolve(file).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(ROOT.relativize(document) + ": " + target + " (no " + ROOT.relativize(resolved) + ")");
                } else if (target.contains("#") && !anchors(resolved).contains(target.substring(target.indexOf('#') + 1))) {
                    broken.add(ROOT.relativize(document) + ": " + target + " (no such heading in " + ROOT.relativize(resolved) + ")");
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void theConfigTablesListTheFieldsTheConfigsRead() throws IOException {
        String running = Files.readString(ROOT.resolve("docs/running.md"));
        assertEquals(new TreeSet<>(MasterConfig.FIELDS), table(running, "Master (`master.yaml`):"));
        assertEquals(new TreeSet<>(VolumeConfig.FIELDS), table(running, "Volume (`volume.yaml`):"));
        String groupRow = row(running, "Master (`master.yaml`):", "group");
        GroupConfig.FIELDS.forEach(field -> assertTrue(groupRow.contains("`" + field + "`"), "group." + field + " in: " + groupRow));
        String deadlinesRow = row(running, "Master (`master.yaml`):", "deadlines");
        Deadlines.FIELDS.forEach(field -> assertTrue(deadlinesRow.contains("`" + field + "`"), "deadlines." + field + " in: " + deadlinesRow));
        String keysRow = row(running, "Master (`master.yaml`):", "s3Keys");
        S3Config.KEY_FIELDS.forEach(field -> assertTrue(keysRow.contains("`" + field + "`"), "s3Keys." + field + " in: " + keysRow));
    }

    private static List<Path> documents() throws IOException {
        List<Path> documents = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        return documents;
    }

    /** The link targets of a Markdown file, outside its code blocks. */
    private static List<String> links(Path document) throws IOException {
        List<String> targets = new ArrayList<>();
        boolean code = false;
        for (String line : Files.readAllLines(document)) {
            if (line.startsWith("```")) {
                code = !code;
            } else if (!code) {
                Matcher link = LINK.matcher(line);
                while (link.find()) {
                    targets.add(link.group(1));
                }
            }
        }
        return targets;
    }

    /** The anchors of a Markdown file's headings, as GitHub makes them. */
    private static Set<String> anchors(Path document) throws IOException {
        Set<String> anchors = new HashSet<>();
        boolean code = false;
        for (String line : Files.readAllLines(document)) {
            if (line.startsWith("```")) {
                code = !code;
            } else if (!code && line.startsWith("#")) {
                String title = line.replaceFirst("^#+\\s*", "").strip().toLowerCase(Locale.ROOT);
                anchors.add(title.replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }

    /** The fields (first column) of the table that follows {@code caption}. */
    private static Set<String> table(String text, String caption) {
        return rows(text, caption).stream().map(ROW_FIELD::matcher).filter(Matcher::find).map(field -> field.group(1))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String row(String text, String caption, String field) {
        return rows(text, caption).stream().filter(line -> line.startsWith("| `" + field + "` |")).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + field + " after " + caption));
    }

    private static List<String> rows(String text, String caption) {
        int at = text.indexOf(caption);
        assertTrue(at >= 0, "no " + caption);
        List<String> rows = new ArrayList<>();
        boolean started = false;
        for (String line : text.substring(at + caption.length()).lines().toList()) {
            if (line.startsWith("|")) {
                started = true;
                rows.add(line);
            } else if (started) {
                break;
            }
        }
        return rows;
    }
}
