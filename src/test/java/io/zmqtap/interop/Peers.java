package io.zmqtap.interop;

import io.zmqtap.proxy.MonitoredQueue;
import io.zmqtap.testing.Closer;
import io.zmqtap.testing.ChildProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The libzmq programs of one interop test (roles of {@code peers.py}, run by Debian's python3-zmq)
 * and whatever else the test opened; {@link #close()} kills and closes them all.
 *
 * <pre>{@code
 * private final Peers peers = new Peers();
 * @AfterEach void stop() { peers.close(); }
 * ...
 * ChildProcess server = peers.ready("server", Peers.connectTo(queue.backendEndpoints().get(0)));
 * }</pre>
 */
final class Peers implements AutoCloseable {
    /** How long any one step may take; generous, since nothing waits for it unless something is broken. */
    static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final String SCRIPT = load("peers.py");

    private final Closer closer = new Closer();

    /** Starts a role of peers.py without waiting for it. */
    ChildProcess start(String role, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(role);
        argv.addAll(List.of(args));
        return closer.add(ChildProcess.python(role, SCRIPT, argv));
    }

    /** Starts a role of peers.py and waits until its sockets are set up. */
    ChildProcess ready(String role, String... args) {
        ChildProcess peer = start(role, args);
        peer.awaitLine("ready", TIMEOUT);
        return peer;
    }

    /**
     * Starts a Python monitor client (a SUB printing each message's repr) on the queue's capture,
     * and waits until the queue has its subscription, so it misses nothing sent from now on.
     */
    ChildProcess monitor(MonitoredQueue queue, int messages) throws InterruptedException {
        ChildProcess monitor = ready("sub", connectTo(queue.captureEndpoints()), Integer.toString(messages));
        if (!queue.awaitCaptureSubscriber(TIMEOUT)) {
            throw new AssertionError("the Python monitor client did not subscribe to " + queue.captureEndpoints());
        }
        return monitor;
    }

    /** Starts pyzmq's MonitoredQueue binding loopback ports; it says "ready" once {@code subscribers} sniffers subscribed. */
    PyzmqQueue pyzmqQueue(int subscribers) {
        return pyzmqQueue(subscribers, "@tcp://127.0.0.1:*", "@tcp://127.0.0.1:*", "@tcp://127.0.0.1:*");
    }

    /**
     * Starts pyzmq's MonitoredQueue on the given endpoints (CZMQ convention, comma-separated lists);
     * it says "ready" once {@code subscribers} sniffers subscribed.
     */
    PyzmqQueue pyzmqQueue(int subscribers, String frontend, String backend, String capture) {
        ChildProcess peer = start("pyqueue", Integer.toString(subscribers), frontend, backend, capture);
        String[] words = peer.nextLine(TIMEOUT).split(" ");
        if (words.length != 4 || !words[0].equals("endpoints")) {
            throw new AssertionError("pyqueue printed " + String.join(" ", words) + " instead of its endpoints");
        }
        return new PyzmqQueue(peer, first(words[1]), first(words[2]), first(words[3]));
    }

    private static String first(String addresses) {
        return ">" + addresses.split(",")[0];
    }

    /** Registers something else to close with the peers (closed before the peers started earlier). */
    <T extends AutoCloseable> T add(T resource) {
        return closer.add(resource);
    }

    @Override
    public void close() {
        closer.close();
    }

    /** A zmqtap queue whose frontend, backend and capture all bind loopback ephemeral ports. */
    static MonitoredQueue.Builder loopbackQueue() {
        return MonitoredQueue.builder()
                .frontend("@tcp://127.0.0.1:*")
                .backend("@tcp://127.0.0.1:*")
                .capture("@tcp://127.0.0.1:*");
    }

    /** The connect form of a resolved bind, e.g. {@code @tcp://127.0.0.1:41234} to {@code >tcp://127.0.0.1:41234}. */
    static String connectTo(List<String> resolved) {
        String endpoint = resolved.get(0);
        if (!endpoint.startsWith("@")) {
            throw new IllegalArgumentException("not a resolved bind: " + endpoint);
        }
        return ">" + endpoint.substring(1);
    }

    private static String load(String resource) {
        try (InputStream in = Peers.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** pyzmq's MonitoredQueue in a Python process, with the first address of each socket in connect form. */
    record PyzmqQueue(ChildProcess peer, String frontend, String backend, String capture) {
        /** Waits until the queue's sniffers have subscribed and it forwards. */
        void awaitReady() {
            peer.awaitLine("ready", TIMEOUT);
        }
    }
}
