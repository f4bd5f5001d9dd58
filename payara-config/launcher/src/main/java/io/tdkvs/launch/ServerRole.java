package io.tdkvs.launch;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The two kinds of tdkvs server: which WAR each deploys and the JVM options it runs with by default. */
public enum ServerRole {
    /** The master keeps up to 32 idle connections to each volume (the JDK's default is 5). */
    MASTER("master-war/target/master.war", "-Xmx512m " + Flags.LEAN, Map.of("http.maxConnections", "32")),
    VOLUME("volume-war/target/volume.war", "-Xmx128m " + Flags.LEAN, Map.of());

    /**
     * A heap that starts small and gives memory back (serial collector, at most 30% of the heap free
     * after a collection): a server holds what its work needs, not its maximum; measured with the same
     * throughput as G1 with a fixed heap, and about 20% less resident memory. A thread that reads or writes
     * a file or socket through a heap buffer borrows a native buffer of that size and keeps it: at most
     * 256 KiB kept each, so large values do not leave every thread holding megabytes.
     */
    private static final class Flags {
        static final String LEAN = "-Xms32m -XX:+UseSerialGC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 "
                + "-XX:ReservedCodeCacheSize=64m -Xss512k -Djdk.nio.maxCachedBufferSize=262144";
    }

    private final String war;
    private final String javaOptions;
    private final Map<String, String> properties;

    ServerRole(String war, String javaOptions, Map<String, String> properties) {
        this.war = war;
        this.javaOptions = javaOptions;
        this.properties = properties;
    }

    /** The built WAR, relative to the project's root. */
    public String war() {
        return war;
    }

    /** System properties a server of this kind runs with, whatever its JVM options. */
    public Map<String, String> properties() {
        return properties;
    }

    /** The JVM options of a production server of this kind. */
    public List<String> javaOptions() {
        return Arrays.asList(javaOptions.split(" "));
    }
}
