package io.zmqtap.proxy;

import io.zmqtap.BadValueException;
import io.zmqtap.ZmqTapException;
import io.zmqtap.security.SocketSecurity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.zeromq.SocketType;

/**
 * A monitored ZeroMQ proxy: forwards between a frontend and a backend socket and publishes a copy
 * of every message on a capture socket, in pyzmq MonitoredQueue's format by default. It runs every
 * device pattern: ROUTER/DEALER (queue), ROUTER/ROUTER, XSUB/XPUB (forwarder), PULL/PUSH
 * (streamer), PAIR/PAIR. A ROUTER/DEALER queue over TCP or ipc runs on the wire engine by default,
 * which speaks ZMTP itself on one thread; everything else on JeroMQ's sockets (see {@link Engine}).
 *
 * <pre>{@code
 * try (MonitoredQueue queue = MonitoredQueue.builder()
 *         .frontend("@tcp://*:4444")          // clients connect here (ROUTER)
 *         .backend(">tcp://localhost:5555")    // the server (DEALER)
 *         .capture("@tcp://*:7777")            // sniffers subscribe here (PUB)
 *         .start()) {                          // binds now, forwards on its own thread
 *     ...
 *     System.out.println(queue.statistics().summary());
 * }
 * }</pre>
 *
 * Embedded in a server (both in one process, the server's REP on inproc):
 * <pre>{@code
 * ZContext ctx = new ZContext();
 * ZMQ.Socket rep = ctx.createSocket(SocketType.REP);
 * rep.bind("inproc://server");
 * MonitoredQueue queue = MonitoredQueue.builder().context(ctx)
 *         .frontend("@tcp://*:4444").backend(">inproc://server").capture("@tcp://*:7777").start();
 * }</pre>
 *
 * Watched in process, without a capture socket: a {@link ForwardListener} sees every message as it
 * is forwarded (the capture feed is one such listener), e.g. to print it or count it:
 * <pre>{@code
 * MonitoredQueue queue = MonitoredQueue.builder()
 *         .frontend("@tcp://*:4444").backend(">tcp://localhost:5555")
 *         .listener(m -> System.out.println(m.direction() + " " + m.toEvent().body()))
 *         .start();
 * }</pre>
 *
 * <p>Guarantees: the capture never blocks or slows forwarding, and each capture subscriber has its
 * own bounded queue (a capture message one cannot take is counted in
 * {@link ProxyStatistics#captureDropped()} and against that subscriber); proxied messages are never
 * dropped quietly (a ROUTER side uses ROUTER_MANDATORY, and the wire engine stops reading a side
 * while a peer it feeds is full: the proxy waits for room; a reply to a client that has gone is
 * counted as undeliverable); memory grows with bytes received, never with sizes announced, within
 * a budget ({@link Builder#maxMemory}).
 */
public final class MonitoredQueue implements AutoCloseable {
    /**
     * How long the forwarding thread polls for the next message before it sleeps, unless told
     * otherwise: 100 µs took the proxy's wake-up out of the round trip; 200 µs measured no better.
     */
    public static final Duration DEFAULT_BUSY_POLL = Duration.ofNanos(100_000);
    /** The largest message by default: 256 MiB. */
    public static final long DEFAULT_MAX_MESSAGE = 256L << 20;
    /** The largest {@link Builder#maxMessageSize} allowed: 1 GiB. */
    public static final long MAX_MAX_MESSAGE = 1L << 30;
    /** Connections the wire engine accepts at most, by default. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    /** Requests a REP server may have unanswered at once, by default (see {@link Builder#maxInFlight}). */
    public static final int DEFAULT_MAX_IN_FLIGHT = WireRouter.DEFAULT_MAX_IN_FLIGHT;
    /** How long a connection may take to finish its handshake, by default (libzmq's default too). */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);
    /** Socket types the engine forwards between. */
    public static final Set<SocketType> PROXY_TYPES = Set.of(
            SocketType.ROUTER, SocketType.DEALER, SocketType.XSUB, SocketType.XPUB, SocketType.SUB, SocketType.PUB,
            SocketType.PULL, SocketType.PUSH, SocketType.PAIR);
    /** Socket types the capture can be written to. */
    public static final Set<SocketType> CAPTURE_TYPES = Set.of(
            SocketType.PUB, SocketType.XPUB, SocketType.PUSH, SocketType.DEALER, SocketType.PAIR);
    /** Socket types the control socket can be. */
    public static final Set<SocketType> CONTROL_TYPES = Set.of(SocketType.REP, SocketType.PAIR);

    private final Assembly parts;
    private final Engine engine;
    private final SocketType frontendType;
    private final SocketType backendType;
    private final Thread thread;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final SocketSecurity.Mechanism captureMechanism;
    private final SocketSecurity.Mechanism controlMechanism;

    private MonitoredQueue(MonitoredQueueBuilder b, Engine engine, Assembly parts) {
        this.engine = engine;
        this.captureMechanism = served(b.captureSecurity);
        this.controlMechanism = served(b.controlSecurity);
        this.frontendType = b.frontendType;
        this.backendType = b.backendType;
        this.parts = parts;
        this.thread = new Thread(parts.forwarder, b.threadName);
        this.thread.setDaemon(true);
    }

    /**
     * How a queue forwards. {@link #JEROMQ} runs every pattern through JeroMQ's sockets, over tcp://
     * and inproc://. {@link #WIRE} speaks ZMTP 3 over tcp:// and real ipc:// itself on one thread:
     * ROUTER/DEALER only, NULL security only, and faster (no hand-off between threads per message).
     * {@link #AUTO} picks {@code WIRE} when the queue allows it and {@code JEROMQ} otherwise.
     */
    public enum Engine {
        AUTO, JEROMQ, WIRE;

        /** The engine, from its name in any case, e.g. {@code wire}; a one-line error otherwise. */
        public static Engine parse(String name) {
            for (Engine e : values()) {
                if (e.name().equalsIgnoreCase(name.strip())) {
                    return e;
                }
            }
            throw new BadValueException("unknown engine '" + name + "': expected auto, jeromq or wire");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The name its events carry as their source: its frontend endpoints as bound, without the bind
     * mark, e.g. {@code tcp://127.0.0.1:41234}.
     */
    public String source() {
        return parts.forwarder.source();
    }

    /** Resolved frontend endpoints, e.g. {@code @tcp://127.0.0.1:41234} for a bind to port {@code *}. */
    public List<String> frontendEndpoints() {
        return parts.frontendEndpoints;
    }

    public List<String> backendEndpoints() {
        return parts.backendEndpoints;
    }

    /** The engine forwarding: {@link Engine#JEROMQ} or {@link Engine#WIRE}, never {@code AUTO}. */
    public Engine engine() {
        return engine;
    }

    /** Resolved capture endpoints; empty when there is no capture socket. */
    public List<String> captureEndpoints() {
        return parts.captureEndpoints;
    }

    /** Resolved control endpoints; empty when there is no control socket. */
    public List<String> controlEndpoints() {
        return parts.controlEndpoints;
    }

    /** True when the capture feed serves CURVE: only clients holding a key can read it. */
    public boolean captureCurve() {
        return captureMechanism == SocketSecurity.Mechanism.CURVE;
    }

    /** What the capture feed serves: CURVE, PLAIN, or null for neither (NULL). */
    public SocketSecurity.Mechanism captureMechanism() {
        return captureMechanism;
    }

    /** True when the control socket serves CURVE. */
    public boolean controlCurve() {
        return controlMechanism == SocketSecurity.Mechanism.CURVE;
    }

    /** What the control socket serves: CURVE, PLAIN, or null for neither (NULL). */
    public SocketSecurity.Mechanism controlMechanism() {
        return controlMechanism;
    }

    private static SocketSecurity.Mechanism served(SocketSecurity s) {
        return s != null && s.server() ? s.mechanism() : null;
    }

    public SocketType frontendType() {
        return frontendType;
    }

    public SocketType backendType() {
        return backendType;
    }

    /** A snapshot of the counters; safe from any thread. */
    public ProxyStatistics statistics() {
        return parts.forwarder.statistics();
    }

    /**
     * Clients refused so far by the queue's ZAP handler ({@link Builder#access}): an unknown CURVE
     * key, a wrong PLAIN password, an address not allowed; each is also a notice. 0 without rules.
     */
    public long refusals() {
        return parts.refusals.getAsLong();
    }

    /**
     * Waits until a sniffer has subscribed to a PUB/XPUB capture socket, so that nothing sent
     * afterwards is missed by it; false on timeout. (ZeroMQ PUB sockets drop what is published
     * before a subscription arrives.)
     */
    public boolean awaitCaptureSubscriber(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (parts.forwarder.captureSubscriptions() == 0) {
            if (System.nanoTime() > end || !thread.isAlive()) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /**
     * Messages per client when the frontend is a ROUTER, keyed by routing id (text when printable,
     * else {@code 0x} + hex): messages in from the client and out to it.
     */
    public Map<String, SocketStatistics> peerStatistics() {
        return parts.forwarder.peerStatistics();
    }

    /** Stops forwarding in both directions until {@link #resume()}; messages wait in ZeroMQ's queues. */
    public void pause() {
        parts.forwarder.pause();
    }

    public void resume() {
        parts.forwarder.resume();
    }

    public boolean isPaused() {
        return parts.forwarder.paused();
    }

    /** True until closed, terminated through the control socket, or failed. */
    public boolean isRunning() {
        return thread.isAlive();
    }

    /** Waits until the proxy stops (TERMINATE, {@link #close()} or failure); false on timeout. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        thread.join(Math.max(1, timeout.toMillis()));
        return !thread.isAlive();
    }

    /** Waits until the proxy stops. */
    public void awaitTermination() throws InterruptedException {
        thread.join();
    }

    /**
     * Why the proxy stopped on its own, or {@code null}: its loop failed, or (JeroMQ engine) one of
     * JeroMQ's threads died, e.g. {@code JeroMQ's I/O thread died: OutOfMemoryError: Java heap space}.
     */
    public Throwable failure() {
        return parts.forwarder.failure();
    }

    /**
     * Stops forwarding, closes the sockets and, unless it was given one, the context. Returns within
     * a few seconds whatever JeroMQ does: a context whose I/O thread died would otherwise wait for it
     * for ever.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return; // already closed, e.g. by a shutdown hook
        }
        parts.forwarder.stop();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        parts.close();
    }

    private void startThread() {
        thread.start();
    }

    /**
     * Configures a {@link MonitoredQueue}; defaults are the reference topology's queue. Every
     * setting is described where it is declared ({@code frontend}, {@code capture},
     * {@code listener}, {@code maxMemory}, ...); {@link #start()} makes the queue.
     *
     * <pre>{@code
     * MonitoredQueue queue = MonitoredQueue.builder()
     *         .frontend("@tcp://*:4444").backend(">tcp://localhost:5555").capture("@tcp://*:7777")
     *         .listener(m -> System.out.println(m.toEvent()))
     *         .start();
     * }</pre>
     */
    public static final class Builder extends MonitoredQueueBuilder {
        private Builder() {}

        /**
         * Creates the sockets, binds and connects them in the calling thread (so a port in use fails
         * here, as a {@link ZmqTapException}), then starts forwarding on a thread of its own.
         */
        public MonitoredQueue start() {
            EngineChoice.checkPattern(this);
            Engine chosen = EngineChoice.choose(this);
            Assembly parts = chosen == Engine.WIRE ? WireAssembly.start(this) : JeromqAssembly.start(this);
            MonitoredQueue queue = new MonitoredQueue(this, chosen, parts);
            queue.startThread();
            return queue;
        }
    }
}
