package io.tdkvs.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ServerRoleTest {

    @Test
    void everyServerHasAHeapOfOneSizeNotTouchedAhead() {
        for (ServerRole role : ServerRole.values()) {
            List<String> options = role.javaOptions();
            String least = only(options, "-Xms");
            String most = only(options, "-Xmx");
            assertEquals(least.substring(4), most.substring(4), role + ": " + options);
            assertTrue(options.stream().noneMatch(o -> o.contains("AlwaysPreTouch")),
                    role + ": pre-touching dirties the start-up cache's pages: " + options);
            assertTrue(options.stream().noneMatch(String::isEmpty), role + " has an empty option: " + options);
        }
    }

    private static String only(List<String> options, String prefix) {
        List<String> found = options.stream().filter(o -> o.startsWith(prefix)).toList();
        assertEquals(1, found.size(), prefix + " in " + options);
        return found.get(0);
    }
}
