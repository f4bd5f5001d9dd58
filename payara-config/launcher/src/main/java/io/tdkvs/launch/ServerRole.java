package io.tdkvs.launch;

import java.util.Arrays;
import java.util.List;

/** The two kinds of tdkvs server: which WAR each deploys and the JVM options it runs with by default. */
public enum ServerRole {
    MASTER("master-war/target/master.war", "-Xmx1g -Xss512k"),
    VOLUME("volume-war/target/volume.war", "-Xmx256m -Xss512k");

    private final String war;
    private final String javaOptions;

    ServerRole(String war, String javaOptions) {
        this.war = war;
        this.javaOptions = javaOptions;
    }

    /** The built WAR, relative to the project's root. */
    public String war() {
        return war;
    }

    /** The JVM options of a production server of this kind. */
    public List<String> javaOptions() {
        return Arrays.asList(javaOptions.split(" "));
    }
}
