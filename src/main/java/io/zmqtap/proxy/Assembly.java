package io.zmqtap.proxy;

import java.util.ArrayList;
import java.util.List;

/**
 * What a started {@link MonitoredQueue} is made of: its forwarding loop, the endpoints it resolved,
 * and what must be closed after the loop stops (a capture thread, JeroMQ's sockets and context).
 */
final class Assembly {
    final Forwarder forwarder;
    final List<String> frontendEndpoints;
    final List<String> backendEndpoints;
    final List<String> captureEndpoints;
    final List<String> controlEndpoints;
    private final List<AutoCloseable> closeables;
    /** Clients the ZAP handler refused so far (see {@link QueueSockets#refusals()}). */
    java.util.function.LongSupplier refusals = () -> 0;

    /** @param closeables closed in this order once the forwarding thread has stopped */
    Assembly(Forwarder forwarder, List<String> frontendEndpoints, List<String> backendEndpoints,
             List<String> captureEndpoints, List<String> controlEndpoints, List<AutoCloseable> closeables) {
        this.forwarder = forwarder;
        this.frontendEndpoints = List.copyOf(frontendEndpoints);
        this.backendEndpoints = List.copyOf(backendEndpoints);
        this.captureEndpoints = List.copyOf(captureEndpoints);
        this.controlEndpoints = List.copyOf(controlEndpoints);
        this.closeables = new ArrayList<>(closeables);
    }

    /**
     * The name a proxy's events carry as their source: its frontend endpoints as bound, without the
     * bind or connect mark, e.g. {@code tcp://127.0.0.1:4444}.
     */
    static String sourceName(List<String> frontendEndpoints) {
        List<String> names = new ArrayList<>();
        for (String e : frontendEndpoints) {
            names.add(e.startsWith("@") || e.startsWith(">") ? e.substring(1) : e);
        }
        return names.isEmpty() ? "proxy" : String.join(",", names);
    }

    void close() {
        closeAll(closeables);
    }

    /** Closes each, in order, whatever the others do. */
    static void closeAll(List<? extends AutoCloseable> closeables) {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                // closing anyway: the rest must still be released
            }
        }
    }
}
