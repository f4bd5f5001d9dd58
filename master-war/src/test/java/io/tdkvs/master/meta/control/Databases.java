package io.tdkvs.master.meta.control;

/** For tests of other packages: closes an index as the container would at the end. */
public final class Databases {

    private Databases() {
    }

    public static void close(Database database) {
        database.close();
    }
}
