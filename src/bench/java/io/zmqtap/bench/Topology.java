package io.zmqtap.bench;

import io.zmqtap.BadValueException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where the bench's fixed parts run: the echo server and the counting sniffer that every setup sits
 * between. The load generator always runs in the bench's JVM; each setup brings its own proxy (a
 * thread of the bench, or a process: {@code zmqtap-process}, {@code libzmq}).
 *
 * <p>Usage: {@code Topology.parse("deployed").describe() // "echo server and counting sniffer each in its own process"}
 */
public enum Topology {
    /**
     * Every part its own process, as users run it: the echo server and the counting sniffer are
     * child JVMs, started once for the whole bench. The headline and the queue's targets come from
     * this topology, with the queue as its own process ({@code zmqtap-process}).
     */
    DEPLOYED("deployed", "echo server and counting sniffer each in its own process"),
    /**
     * The earlier sessions' bench: echo server and sniffer are threads of the bench's JVM. Cheaper
     * to start; its numbers compare with the older ones in docs/benchmarks.md, not with a deployment.
     */
    IN_PROCESS("in-process", "echo server and counting sniffer as threads of the bench's JVM");

    private final String code;
    private final String description;

    Topology(String code, String description) {
        this.code = code;
        this.description = description;
    }

    /** The name on the command line and in JSON: {@code deployed} or {@code in-process}. */
    public String code() {
        return code;
    }

    /** Where the server and sniffer run, e.g. {@code echo server and counting sniffer each in its own process}. */
    public String describe() {
        return description;
    }

    /** {@code deployed} or {@code in-process}; anything else is a one-line usage error. */
    public static Topology parse(String text) {
        String wanted = text.strip().toLowerCase(Locale.ROOT);
        for (Topology t : values()) {
            if (t.code.equals(wanted)) {
                return t;
            }
        }
        throw new BadValueException("bad --topology '" + text + "': expected "
                + Arrays.stream(values()).map(Topology::code).collect(Collectors.joining(" or ")));
    }
}
