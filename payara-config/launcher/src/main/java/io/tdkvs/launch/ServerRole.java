package io.tdkvs.launch;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The two kinds of tdkvs server: which WAR each deploys and the JVM options it runs with by default. */
public enum ServerRole {
    /**
     * The master keeps up to 32 idle connections to each volume (the JDK's default is 5); its heap holds the
     * index's cache (40% of it) beside the requests.
     */
    MASTER("master-war/target/master.war", Flags.heap(256) + Flags.COMMON, Map.of("http.maxConnections", "32")),
    VOLUME("volume-war/target/volume.war", Flags.heap(128) + Flags.COMMON, Map.of());

    /**
     * A heap of one size from the start (serial collector), so that the memory a server may take is known when it
     * starts and a growing heap cannot creep towards its limit and stay there (with a heap that grew and gave memory
     * back, the serial collector grew it on every promotion that did not fit and gave it back only slowly: over 30
     * minutes of mixed load a volume's heap went from 81 to 123 MiB of 128). Its pages are not touched ahead
     * ({@code -XX:+AlwaysPreTouch}): that also writes to every page of the start-up cache's mapping, which then stays
     * each process's private copy (about 100 MiB per server) instead of file pages the servers share. A thread that
     * reads or writes a file or socket through a heap buffer borrows a native buffer of that size and keeps it: at
     * most 256 KiB kept each, so large values do not leave every thread holding megabytes.
     */
    private static final class Flags {
        static final String COMMON = "-XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m -Xss512k "
                + "-Djdk.nio.maxCachedBufferSize=262144";

        static String heap(int mebibytes) {
            return "-Xms" + mebibytes + "m -Xmx" + mebibytes + "m ";
        }
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
