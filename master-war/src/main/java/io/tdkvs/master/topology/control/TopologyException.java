package io.tdkvs.master.topology.control;

/** The config file or the delete request does not fit the recorded cluster; the message says what to do. */
public class TopologyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TopologyException(String message) {
        super(message);
    }
}
