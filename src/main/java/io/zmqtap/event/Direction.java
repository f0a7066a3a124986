package io.zmqtap.event;

/** Which way a message travelled, seen from the client. */
public enum Direction {
    /** Client to server (frontend to backend); pyzmq's {@code in} prefix. */
    IN("in"),
    /** Server to client (backend to frontend); pyzmq's {@code out} prefix. */
    OUT("out"),
    /** Not known, e.g. a libzmq {@code zmq_proxy} raw capture, which carries no direction. */
    UNKNOWN("?");

    private final String label;

    Direction(String label) {
        this.label = label;
    }

    /** The short name printed and written to JSON: {@code in}, {@code out} or {@code ?}. */
    public String label() {
        return label;
    }
}
