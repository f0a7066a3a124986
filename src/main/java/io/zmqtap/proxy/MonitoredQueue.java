package io.zmqtap.proxy;

import io.zmqtap.feed.CaptureFormat;
import io.zmqtap.BadValueException;
import io.zmqtap.ZmqTapException;
import io.zmqtap.endpoint.BusyPoll;
import io.zmqtap.endpoint.Endpoint;
import io.zmqtap.endpoint.NetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.zeromq.SocketType;
import org.zeromq.ZContext;

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

    private MonitoredQueue(Builder b, Engine engine, Assembly parts) {
        this.engine = engine;
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

    /** Configures a {@link MonitoredQueue}; defaults are the reference topology's queue. */
    public static final class Builder {
        List<Endpoint> frontend = Endpoint.parseList("@tcp://*:4444");
        List<Endpoint> backend = Endpoint.parseList(">tcp://localhost:5555");
        List<Endpoint> capture;
        List<Endpoint> control;
        SocketType frontendType = SocketType.ROUTER;
        SocketType backendType = SocketType.DEALER;
        SocketType captureType = SocketType.PUB;
        SocketType controlType = SocketType.REP;
        byte[] inPrefix = "in".getBytes(StandardCharsets.UTF_8);
        byte[] outPrefix = "out".getBytes(StandardCharsets.UTF_8);
        CaptureFormat captureFormat = CaptureFormat.PREFIXED;
        int hwm = 100_000;
        int captureHwm = 10_000;
        int sendWaitMillis = 2;
        Duration busyPoll = DEFAULT_BUSY_POLL;
        ZContext context;
        String threadName = "zmqtap-proxy";
        List<String> subscriptions = List.of("");
        Engine engine = Engine.AUTO;
        long maxMessageSize = DEFAULT_MAX_MESSAGE;
        long maxMemory = WireMemory.defaultLimit();
        int maxInFlight = WireRouter.DEFAULT_MAX_IN_FLIGHT;
        int maxConnections = DEFAULT_MAX_CONNECTIONS;
        int backlog = NetAddress.DEFAULT_BACKLOG;
        Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        Consumer<String> notices = notice -> { };

        private Builder() {}

        /** Frontend endpoints (clients' side), CZMQ convention, comma-separated; default {@code @tcp://*:4444}. */
        public Builder frontend(String endpoints) {
            frontend = Endpoint.parseList(endpoints);
            return this;
        }

        /** Backend endpoints (servers' side); default {@code >tcp://localhost:5555}. */
        public Builder backend(String endpoints) {
            backend = Endpoint.parseList(endpoints);
            return this;
        }

        /** Capture endpoints; none by default (no capture). */
        public Builder capture(String endpoints) {
            capture = endpoints == null ? null : Endpoint.parseList(endpoints);
            return this;
        }

        /** Control endpoints for PAUSE/RESUME/TERMINATE/STATISTICS; none by default. */
        public Builder control(String endpoints) {
            control = endpoints == null ? null : Endpoint.parseList(endpoints);
            return this;
        }

        public Builder frontendType(SocketType type) {
            frontendType = checked(type, PROXY_TYPES, "frontend");
            return this;
        }

        public Builder backendType(SocketType type) {
            backendType = checked(type, PROXY_TYPES, "backend");
            return this;
        }

        /** PUB (default), XPUB, PUSH, DEALER or PAIR. */
        public Builder captureType(SocketType type) {
            captureType = checked(type, CAPTURE_TYPES, "capture");
            return this;
        }

        /** REP (default) or PAIR. */
        public Builder controlType(SocketType type) {
            controlType = checked(type, CONTROL_TYPES, "control");
            return this;
        }

        /** The first capture frame for each direction; default {@code in} and {@code out}. */
        public Builder prefixes(byte[] in, byte[] out) {
            inPrefix = in.clone();
            outPrefix = out.clone();
            return this;
        }

        public Builder prefixes(String in, String out) {
            return prefixes(in.getBytes(StandardCharsets.UTF_8), out.getBytes(StandardCharsets.UTF_8));
        }

        public Builder captureFormat(CaptureFormat format) {
            captureFormat = Objects.requireNonNull(format);
            return this;
        }

        /** High-water mark for the frontend and backend queues (messages; JeroMQ engine; 0 is none); default 100000. */
        public Builder hwm(int messages) {
            if (messages < 0) {
                throw new BadValueException("the high-water mark must be 0 (none) or a positive number of messages, not "
                        + messages);
            }
            hwm = messages;
            return this;
        }

        /**
         * Capture messages one subscriber may have waiting (default 10000); past it, its captures are
         * dropped and counted against it, while other subscribers go on getting theirs.
         */
        public Builder captureHwm(int messages) {
            captureHwm = positive(messages, "capture high-water mark", "messages");
            return this;
        }

        /**
         * How long the forwarding thread keeps polling for the next message, yielding the CPU,
         * before it sleeps (default {@link #DEFAULT_BUSY_POLL}, 100 µs; zero: sleep at once). Polling saves a thread wake-up per
         * hop under steady traffic, which lowers the added latency, at the cost of CPU time while
         * traffic is light but steady. See {@link BusyPoll}.
         */
        public Builder busyPoll(Duration spell) {
            BusyPoll.of(spell); // rejects a negative spell now, not on the forwarding thread
            busyPoll = spell;
            return this;
        }

        /**
         * Which engine forwards (default {@link Engine#AUTO}). {@link Engine#WIRE} fails at
         * {@link #start()} with a one-line reason when the queue is not ROUTER/DEALER over TCP or ipc.
         */
        public Builder engine(Engine engine) {
            this.engine = Objects.requireNonNull(engine);
            return this;
        }

        /**
         * The largest message (all its frames) a peer may send; a peer that announces a larger one is
         * disconnected before anything is allocated. Default {@link #DEFAULT_MAX_MESSAGE}.
         */
        public Builder maxMessageSize(long bytes) {
            // at most 1 GiB: a buffer must hold a whole message with its frame headers (up to as
            // much again, for a message of many tiny frames) in one Java array
            if (bytes < 1 || bytes > MAX_MAX_MESSAGE) {
                throw new BadValueException("max message size must be from 1 to " + MAX_MAX_MESSAGE
                        + " bytes (1 GiB), not " + bytes);
            }
            maxMessageSize = bytes;
            return this;
        }

        /**
         * The memory budget: bytes all connections' buffers may hold together (read and not yet
         * forwarded, or waiting to be written). Default: half the heap ({@code -Xmx}), at least 16 MiB.
         * Past it the wire engine first gives idle buffers back, then drops the connections holding
         * the most, with a notice; the JeroMQ engine keeps further large messages in sparse file
         * mappings that cost memory only as their bytes arrive (see {@link BudgetAllocator}).
         */
        public Builder maxMemory(long bytes) {
            if (bytes < 1 << 20) {
                throw new BadValueException("the memory budget must be at least 1 MiB, not " + bytes + " bytes");
            }
            maxMemory = bytes;
            return this;
        }

        /**
         * Requests a REP server may have unanswered at once (wire engine; default 500). libzmq's REP
         * drops replies past its send high-water mark (1000) without a word; held to less, every
         * reply arrives however many requests clients pipeline. DEALER and ROUTER servers, which may
         * answer zero or many times, are never held back.
         */
        public Builder maxInFlight(int requests) {
            maxInFlight = positive(requests, "in-flight limit", "requests");
            return this;
        }

        /** Connections the wire engine accepts at most (default 10000); more are closed with a notice. */
        public Builder maxConnections(int connections) {
            maxConnections = positive(connections, "connection limit", "connections");
            return this;
        }

        /** The listening sockets' accept queue (wire engine; default 1024). */
        public Builder backlog(int connections) {
            backlog = positive(connections, "backlog", "connections");
            return this;
        }

        /** A connection without a finished ZMTP handshake after this is dropped (wire engine; default 30 s; zero: never). */
        public Builder handshakeTimeout(Duration timeout) {
            if (timeout.isNegative()) {
                throw new BadValueException("the handshake timeout cannot be negative, not " + timeout);
            }
            handshakeTimeout = timeout;
            return this;
        }

        /**
         * Where notices go, one line each, e.g. {@code frontend: dropped the connection from
         * 127.0.0.1:50312: …} or {@code backend: lost REP server localhost:5555: 3 requests sent to
         * it got no reply}. Repeats are summed up ({@code … and 1,998 more like this in the last
         * 10 s}). Called on the forwarding thread: keep it quick. Default: ignore.
         */
        public Builder notices(Consumer<String> notices) {
            this.notices = Objects.requireNonNull(notices);
            return this;
        }

        /** Topics a SUB frontend subscribes to; default everything. */
        public Builder subscriptions(List<String> topics) {
            subscriptions = List.copyOf(topics);
            return this;
        }

        /** Use this context (e.g. to reach the server over inproc); it is not closed with the queue. */
        public Builder context(ZContext context) {
            this.context = context;
            return this;
        }

        public Builder threadName(String name) {
            threadName = name;
            return this;
        }

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

        private static int positive(int value, String what, String unit) {
            if (value <= 0) {
                throw new BadValueException("the " + what + " must be a positive number of " + unit + ", not " + value);
            }
            return value;
        }

        private static SocketType checked(SocketType type, Set<SocketType> allowed, String role) {
            if (!allowed.contains(type)) {
                throw new BadValueException("a " + type + " socket cannot be the " + role + " of a proxy");
            }
            return type;
        }
    }
}
