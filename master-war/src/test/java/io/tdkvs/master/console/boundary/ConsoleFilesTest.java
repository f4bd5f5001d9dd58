package io.tdkvs.master.console.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** Every file the console's page and modules load is one the master serves, and none comes from elsewhere. */
class ConsoleFilesTest {

    private static final Pattern PAGE_LINK = Pattern.compile("(?:src|href)=\"([^\"#]+)\"");
    private static final Pattern IMPORT = Pattern.compile("(?m)^import .* from '([^']+)';$");

    @Test
    void everyLinkAndImportResolvesToAServedFile() throws IOException {
        Set<String> seen = new HashSet<>();
        Deque<String> toRead = new ArrayDeque<>();
        for (String link : matches(PAGE_LINK, read("index.html"))) {
            if (!link.startsWith("data:")) {
                toRead.add(link);
            }
        }
        while (!toRead.isEmpty()) {
            String file = toRead.pop();
            assertTrue(!file.contains("//") && !file.startsWith("/") && !file.startsWith(".."), "not from the master: " + file);
            if (!seen.add(file)) {
                continue;
            }
            try (InputStream in = served(file)) {
                assertNotNull(in, "the console does not serve " + file);
            }
            if (file.endsWith(".js") && !file.startsWith("lib/")) {
                for (String imported : matches(IMPORT, read(file))) {
                    toRead.add(imported.replaceFirst("^\\./", ""));
                }
            }
        }
        assertTrue(seen.containsAll(Set.of("console.js", "console.css", "lib/charts.js", "lib/charts.css", "api.js", "page.js",
                "cluster.js", "activity.js", "work.js", "keys.js", "format.js")), seen.toString());
        assertEquals(11, seen.size(), "a console file no page loads: " + seen);
    }

    private static InputStream served(String file) throws IOException {
        if (file.startsWith("lib/")) {
            return new ConsoleResource().libraryStream(file.substring(4));
        }
        return ConsoleResource.class.getClassLoader().getResourceAsStream("console/" + file);
    }

    private static String read(String file) throws IOException {
        try (InputStream in = ConsoleResource.class.getClassLoader().getResourceAsStream("console/" + file)) {
            assertNotNull(in, file);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Set<String> matches(Pattern pattern, String text) {
        Set<String> found = new HashSet<>();
        for (Matcher m = pattern.matcher(text); m.find(); ) {
            found.add(m.group(1));
        }
        return found;
    }
}
