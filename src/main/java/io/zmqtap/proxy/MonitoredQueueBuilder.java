package io.zmqtap.proxy;

import io.zmqtap.BadValueException;
import io.zmqtap.endpoint.BusyPoll;
import io.zmqtap.endpoint.Endpoint;
import io.zmqtap.endpoint.NetAddress;
import io.zmqtap.feed.CaptureFormat;
import io.zmqtap.security.AccessRules;
import io.zmqtap.security.SocketSecurity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.zeromq.SocketType;
import org.zeromq.ZContext;

/**
 * The settings of a {@link MonitoredQueue.Builder}, each with its default (the reference topology's
 * queue) and its check: a bad value fails when it is set, as a one-line {@link BadValueException}.
 * Users see these methods through {@link MonitoredQueue#builder()}; the engines read the fields.
 */
abstract class MonitoredQueueBuilder {
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
    Duration busyPoll = MonitoredQueue.DEFAULT_BUSY_POLL;
    ZContext context;
    String threadName = "zmqtap-proxy";
    List<String> subscriptions = List.of("");
    MonitoredQueue.Engine engine = MonitoredQueue.Engine.AUTO;
    long maxMessageSize = MonitoredQueue.DEFAULT_MAX_MESSAGE;
    long maxMemory = WireMemory.defaultLimit();
    int maxInFlight = WireRouter.DEFAULT_MAX_IN_FLIGHT;
    int maxConnections = MonitoredQueue.DEFAULT_MAX_CONNECTIONS;
    int backlog = NetAddress.DEFAULT_BACKLOG;
    Duration handshakeTimeout = MonitoredQueue.DEFAULT_HANDSHAKE_TIMEOUT;
    Consumer<String> notices = notice -> { };
    SocketSecurity frontendSecurity;
    SocketSecurity backendSecurity;
    SocketSecurity captureSecurity;
    SocketSecurity controlSecurity;
    AccessRules access = AccessRules.none();
    final List<ForwardListener> listeners = new ArrayList<>();

    /** Frontend endpoints (clients' side), CZMQ convention, comma-separated; default {@code @tcp://*:4444}. */
    public MonitoredQueue.Builder frontend(String endpoints) {
        frontend = Endpoint.parseList(endpoints);
        return self();
    }

    /** Backend endpoints (servers' side); default {@code >tcp://localhost:5555}. */
    public MonitoredQueue.Builder backend(String endpoints) {
        backend = Endpoint.parseList(endpoints);
        return self();
    }

    /** Capture endpoints; none by default (no capture). */
    public MonitoredQueue.Builder capture(String endpoints) {
        capture = endpoints == null ? null : Endpoint.parseList(endpoints);
        return self();
    }

    /** Control endpoints for PAUSE/RESUME/TERMINATE/STATISTICS; none by default. */
    public MonitoredQueue.Builder control(String endpoints) {
        control = endpoints == null ? null : Endpoint.parseList(endpoints);
        return self();
    }

    public MonitoredQueue.Builder frontendType(SocketType type) {
        frontendType = checked(type, MonitoredQueue.PROXY_TYPES, "frontend");
        return self();
    }

    public MonitoredQueue.Builder backendType(SocketType type) {
        backendType = checked(type, MonitoredQueue.PROXY_TYPES, "backend");
        return self();
    }

    /** PUB (default), XPUB, PUSH, DEALER or PAIR. */
    public MonitoredQueue.Builder captureType(SocketType type) {
        captureType = checked(type, MonitoredQueue.CAPTURE_TYPES, "capture");
        return self();
    }

    /** REP (default) or PAIR. */
    public MonitoredQueue.Builder controlType(SocketType type) {
        controlType = checked(type, MonitoredQueue.CONTROL_TYPES, "control");
        return self();
    }

    /** The first capture frame for each direction; default {@code in} and {@code out}. */
    public MonitoredQueue.Builder prefixes(byte[] in, byte[] out) {
        inPrefix = in.clone();
        outPrefix = out.clone();
        return self();
    }

    public MonitoredQueue.Builder prefixes(String in, String out) {
        return prefixes(in.getBytes(StandardCharsets.UTF_8), out.getBytes(StandardCharsets.UTF_8));
    }

    public MonitoredQueue.Builder captureFormat(CaptureFormat format) {
        captureFormat = Objects.requireNonNull(format);
        return self();
    }

    /** High-water mark for the frontend and backend queues (messages; JeroMQ engine; 0 is none); default 100000. */
    public MonitoredQueue.Builder hwm(int messages) {
        if (messages < 0) {
            throw new BadValueException("the high-water mark must be 0 (none) or a positive number of messages, not "
                    + messages);
        }
        hwm = messages;
        return self();
    }

    /**
     * Capture messages one subscriber may have waiting (default 10000); past it, its captures are
     * dropped and counted against it, while other subscribers go on getting theirs.
     */
    public MonitoredQueue.Builder captureHwm(int messages) {
        captureHwm = positive(messages, "capture high-water mark", "messages");
        return self();
    }

    /**
     * How long the forwarding thread keeps polling for the next message, yielding the CPU,
     * before it sleeps (default {@link MonitoredQueue#DEFAULT_BUSY_POLL}, 100 µs; zero: sleep at once). Polling saves a thread wake-up per
     * hop under steady traffic, which lowers the added latency, at the cost of CPU time while
     * traffic is light but steady. See {@link BusyPoll}.
     */
    public MonitoredQueue.Builder busyPoll(Duration spell) {
        BusyPoll.of(spell); // rejects a negative spell now, not on the forwarding thread
        busyPoll = spell;
        return self();
    }

    /**
     * Which engine forwards (default {@link MonitoredQueue.Engine#AUTO}). {@link MonitoredQueue.Engine#WIRE} fails at
     * {@link MonitoredQueue.Builder#start()} with a one-line reason when the queue is not ROUTER/DEALER over TCP or ipc.
     */
    public MonitoredQueue.Builder engine(MonitoredQueue.Engine engine) {
        this.engine = Objects.requireNonNull(engine);
        return self();
    }

    /**
     * The largest message (all its frames) a peer may send; a peer that announces a larger one is
     * disconnected before anything is allocated. Default {@link MonitoredQueue#DEFAULT_MAX_MESSAGE}.
     */
    public MonitoredQueue.Builder maxMessageSize(long bytes) {
        // at most 1 GiB: a buffer must hold a whole message with its frame headers (up to as
        // much again, for a message of many tiny frames) in one Java array
        if (bytes < 1 || bytes > MonitoredQueue.MAX_MAX_MESSAGE) {
            throw new BadValueException("max message size must be from 1 to " + MonitoredQueue.MAX_MAX_MESSAGE
                    + " bytes (1 GiB), not " + bytes);
        }
        maxMessageSize = bytes;
        return self();
    }

    /**
     * The memory budget: bytes all connections' buffers may hold together (read and not yet
     * forwarded, or waiting to be written). Default: half the heap ({@code -Xmx}), at least 16 MiB.
     * Past it the wire engine first gives idle buffers back, then drops the connections holding
     * the most, with a notice; the JeroMQ engine keeps further large messages in sparse file
     * mappings that cost memory only as their bytes arrive (see {@link BudgetAllocator}).
     */
    public MonitoredQueue.Builder maxMemory(long bytes) {
        if (bytes < 1 << 20) {
            throw new BadValueException("the memory budget must be at least 1 MiB, not " + bytes + " bytes");
        }
        maxMemory = bytes;
        return self();
    }

    /**
     * Requests a REP server may have unanswered at once (wire engine; default 500). libzmq's REP
     * drops replies past its send high-water mark (1000) without a word; held to less, every
     * reply arrives however many requests clients pipeline. DEALER and ROUTER servers, which may
     * answer zero or many times, are never held back.
     */
    public MonitoredQueue.Builder maxInFlight(int requests) {
        maxInFlight = positive(requests, "in-flight limit", "requests");
        return self();
    }

    /** Connections the wire engine accepts at most (default 10000); more are closed with a notice. */
    public MonitoredQueue.Builder maxConnections(int connections) {
        maxConnections = positive(connections, "connection limit", "connections");
        return self();
    }

    /** The listening sockets' accept queue (wire engine; default 1024). */
    public MonitoredQueue.Builder backlog(int connections) {
        backlog = positive(connections, "backlog", "connections");
        return self();
    }

    /** A connection without a finished ZMTP handshake after this is dropped (wire engine; default 30 s; zero: never). */
    public MonitoredQueue.Builder handshakeTimeout(Duration timeout) {
        if (timeout.isNegative()) {
            throw new BadValueException("the handshake timeout cannot be negative, not " + timeout);
        }
        handshakeTimeout = timeout;
        return self();
    }

    /**
     * Where notices go, one line each, e.g. {@code frontend: dropped the connection from
     * 127.0.0.1:50312: …} or {@code backend: lost REP server localhost:5555: 3 requests sent to
     * it got no reply}. Repeats are summed up ({@code … and 1,998 more like this in the last
     * 10 s}). Called on the forwarding thread: keep it quick. Default: ignore.
     */
    public MonitoredQueue.Builder notices(Consumer<String> notices) {
        this.notices = Objects.requireNonNull(notices);
        return self();
    }

    /**
     * Adds a listener that sees every message forwarded, on the forwarding thread (see
     * {@link ForwardListener}: it must never block); call again to add more. The capture feed, when
     * there is one, is served first.
     *
     * <p>Usage: {@code MonitoredQueue.builder().listener(m -> counter.increment()).start()}
     */
    public MonitoredQueue.Builder listener(ForwardListener listener) {
        listeners.add(Objects.requireNonNull(listener));
        return self();
    }

    /**
     * The frontend's security, e.g. {@code SocketSecurity.curveServer(cert)}; default none (NULL).
     * CURVE or PLAIN on the frontend or backend runs the queue on the JeroMQ engine.
     */
    public MonitoredQueue.Builder frontendSecurity(SocketSecurity security) {
        frontendSecurity = security;
        return self();
    }

    /** The backend's security, e.g. {@code SocketSecurity.curveClient(serverPublic, clientSecret)}. */
    public MonitoredQueue.Builder backendSecurity(SocketSecurity security) {
        backendSecurity = security;
        return self();
    }

    /** The capture feed's security, e.g. CURVE so that only allowed watchers read it; in either engine. */
    public MonitoredQueue.Builder captureSecurity(SocketSecurity security) {
        captureSecurity = security;
        return self();
    }

    /** The control socket's security; in either engine. */
    public MonitoredQueue.Builder controlSecurity(SocketSecurity security) {
        controlSecurity = security;
        return self();
    }

    /**
     * Who may connect to the served sockets (allowed CURVE keys, PLAIN users, addresses): a ZAP
     * handler ({@link io.zmqtap.security.Gatekeeper}) runs in the queue's context and reports each
     * refusal as a notice. Default: no rules.
     */
    public MonitoredQueue.Builder access(AccessRules rules) {
        access = Objects.requireNonNull(rules);
        return self();
    }

    /** Topics a SUB frontend subscribes to; default everything. */
    public MonitoredQueue.Builder subscriptions(List<String> topics) {
        subscriptions = List.copyOf(topics);
        return self();
    }

    /** Use this context (e.g. to reach the server over inproc); it is not closed with the queue. */
    public MonitoredQueue.Builder context(ZContext context) {
        this.context = context;
        return self();
    }

    public MonitoredQueue.Builder threadName(String name) {
        threadName = name;
        return self();
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

    MonitoredQueueBuilder() {}

    private MonitoredQueue.Builder self() {
        return (MonitoredQueue.Builder) this;
    }
}
