package io.zmqtap.proxy;

import io.zmqtap.ZmqTapException;
import io.zmqtap.endpoint.BusyPoll;
import io.zmqtap.endpoint.Endpoint;
import io.zmqtap.endpoint.HandshakeWatchdog;
import io.zmqtap.endpoint.Sockets;
import io.zmqtap.tap.TcpAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A monitored ZeroMQ proxy: forwards between a frontend and a backend socket and publishes a copy
 * of every message on a capture socket, in pyzmq MonitoredQueue's format by default. It runs every
 * device pattern: ROUTER/DEALER (queue), ROUTER/ROUTER, XSUB/XPUB (forwarder), PULL/PUSH
 * (streamer), PAIR/PAIR. A ROUTER/DEALER queue over TCP runs on the wire engine by default, which
 * speaks ZMTP itself on one thread; everything else on JeroMQ's sockets (see {@link Engine}).
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
 * <p>Guarantees: the capture never blocks or slows forwarding (a capture message that cannot be
 * queued is counted in {@link ProxyStatistics#captureDropped()}); proxied messages are never
 * dropped quietly (a ROUTER side uses ROUTER_MANDATORY, and the wire engine stops reading a side
 * while a peer it feeds is full: the proxy waits for room; a reply to a client that has gone is
 * counted as undeliverable).
 */
public final class MonitoredQueue implements AutoCloseable {
    /**
     * How long the forwarding thread polls for the next message before it sleeps, unless told
     * otherwise: 100 µs took the proxy's wake-up out of the round trip; 200 µs measured no better.
     */
    public static final Duration DEFAULT_BUSY_POLL = Duration.ofNanos(100_000);
    /** The wire engine's largest message by default: 256 MiB. */
    public static final long DEFAULT_MAX_MESSAGE = 256L << 20;
    /** The largest {@link Builder#maxMessageSize} allowed: 1 GiB. */
    public static final long MAX_MAX_MESSAGE = 1L << 30;
    /** Socket types the engine forwards between. */
    public static final Set<SocketType> PROXY_TYPES = Set.of(
            SocketType.ROUTER, SocketType.DEALER, SocketType.XSUB, SocketType.XPUB, SocketType.SUB, SocketType.PUB,
            SocketType.PULL, SocketType.PUSH, SocketType.PAIR);
    /** Socket types the capture can be written to. */
    public static final Set<SocketType> CAPTURE_TYPES = Set.of(
            SocketType.PUB, SocketType.XPUB, SocketType.PUSH, SocketType.DEALER, SocketType.PAIR);
    /** Socket types the control socket can be. */
    public static final Set<SocketType> CONTROL_TYPES = Set.of(SocketType.REP, SocketType.PAIR);

    private final ZContext context;
    private final boolean ownsContext;
    private final Engine engine;
    private final SocketType frontendType;
    private final SocketType backendType;
    private final List<String> frontendEndpoints;
    private final List<String> backendEndpoints;
    private final List<String> captureEndpoints;
    private final List<String> controlEndpoints;
    private final List<ZMQ.Socket> sockets;
    private final Forwarder loop;
    private final Thread thread;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private MonitoredQueue(Builder b, ZContext context, boolean ownsContext, Engine engine,
                           List<String> frontendEndpoints, List<String> backendEndpoints, Attached attached,
                           Forwarder loop) {
        this.context = context;
        this.ownsContext = ownsContext;
        this.engine = engine;
        this.frontendType = b.frontendType;
        this.backendType = b.backendType;
        this.frontendEndpoints = frontendEndpoints;
        this.backendEndpoints = backendEndpoints;
        this.captureEndpoints = attached.captureEndpoints;
        this.controlEndpoints = attached.controlEndpoints;
        this.sockets = List.copyOf(attached.sockets);
        this.loop = loop;
        this.thread = new Thread(loop, b.threadName);
        this.thread.setDaemon(true);
    }

    /**
     * How a queue forwards. {@link #JEROMQ} runs every pattern over every transport through JeroMQ's
     * sockets. {@link #WIRE} speaks ZMTP 3 over TCP itself on one thread: ROUTER/DEALER only, NULL
     * security only, and faster (no hand-off between threads per message). {@link #AUTO} picks
     * {@code WIRE} when the queue allows it and {@code JEROMQ} otherwise.
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
            throw new ZmqTapException("unknown engine '" + name + "': expected auto, jeromq or wire");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Resolved frontend endpoints, e.g. {@code @tcp://127.0.0.1:41234} for a bind to port {@code *}. */
    public List<String> frontendEndpoints() {
        return frontendEndpoints;
    }

    public List<String> backendEndpoints() {
        return backendEndpoints;
    }

    /** The engine forwarding: {@link Engine#JEROMQ} or {@link Engine#WIRE}, never {@code AUTO}. */
    public Engine engine() {
        return engine;
    }

    /** Resolved capture endpoints; empty when there is no capture socket. */
    public List<String> captureEndpoints() {
        return captureEndpoints;
    }

    /** Resolved control endpoints; empty when there is no control socket. */
    public List<String> controlEndpoints() {
        return controlEndpoints;
    }

    public SocketType frontendType() {
        return frontendType;
    }

    public SocketType backendType() {
        return backendType;
    }

    /** A snapshot of the counters; safe from any thread. */
    public ProxyStatistics statistics() {
        return loop.statistics();
    }

    /**
     * Waits until a sniffer has subscribed to a PUB/XPUB capture socket, so that nothing sent
     * afterwards is missed by it; false on timeout. (ZeroMQ PUB sockets drop what is published
     * before a subscription arrives.)
     */
    public boolean awaitCaptureSubscriber(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (loop.captureSubscriptions() == 0) {
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
    public java.util.Map<String, SocketStatistics> peerStatistics() {
        return loop.peerStatistics();
    }

    /** Stops forwarding in both directions until {@link #resume()}; messages wait in ZeroMQ's queues. */
    public void pause() {
        loop.pause();
    }

    public void resume() {
        loop.resume();
    }

    public boolean isPaused() {
        return loop.paused();
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

    /** Why the forwarding loop stopped on its own, or {@code null}. */
    public Throwable failure() {
        return loop.failure();
    }

    /** Stops forwarding, closes the sockets and, unless it was given one, the context. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return; // already closed, e.g. by a shutdown hook
        }
        loop.stop();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ZMQ.Socket s : sockets) {
            s.close();
        }
        if (ownsContext) {
            context.close();
        }
    }

    private void startThread() {
        thread.start();
    }

    /** The JeroMQ sockets a queue owns besides its engine's: capture and control. */
    private static final class Attached {
        final List<ZMQ.Socket> sockets = new ArrayList<>();
        ZMQ.Socket capture;
        ZMQ.Socket control;
        List<String> captureEndpoints = List.of();
        List<String> controlEndpoints = List.of();
    }

    /** Configures a {@link MonitoredQueue}; defaults are the reference topology's queue. */
    public static final class Builder {
        private List<Endpoint> frontend = Endpoint.parseList("@tcp://*:4444");
        private List<Endpoint> backend = Endpoint.parseList(">tcp://localhost:5555");
        private List<Endpoint> capture;
        private List<Endpoint> control;
        private SocketType frontendType = SocketType.ROUTER;
        private SocketType backendType = SocketType.DEALER;
        private SocketType captureType = SocketType.PUB;
        private SocketType controlType = SocketType.REP;
        private byte[] inPrefix = "in".getBytes(StandardCharsets.UTF_8);
        private byte[] outPrefix = "out".getBytes(StandardCharsets.UTF_8);
        private CaptureFormat captureFormat = CaptureFormat.PREFIXED;
        private int hwm = 100_000;
        private int captureHwm = 10_000;
        private int sendWaitMillis = 2;
        private Duration busyPoll = DEFAULT_BUSY_POLL;
        private ZContext context;
        private String threadName = "zmqtap-proxy";
        private List<String> subscriptions = List.of("");
        private Engine engine = Engine.AUTO;
        private long maxMessageSize = DEFAULT_MAX_MESSAGE;
        private Consumer<String> notices = notice -> { };

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

        /** High-water mark for the frontend and backend queues (messages); default 100000. */
        public Builder hwm(int messages) {
            hwm = messages;
            return this;
        }

        /** High-water mark of the capture socket; past it capture messages are dropped and counted. */
        public Builder captureHwm(int messages) {
            captureHwm = messages;
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
         * {@link #start()} with a one-line reason when the queue is not ROUTER/DEALER over TCP.
         */
        public Builder engine(Engine engine) {
            this.engine = Objects.requireNonNull(engine);
            return this;
        }

        /**
         * The largest message (all its frames) the wire engine takes from a peer; a peer that
         * announces a larger one is disconnected, so a bad size cannot make it allocate without
         * bound. Default {@link #DEFAULT_MAX_MESSAGE}.
         */
        public Builder maxMessageSize(long bytes) {
            // at most 1 GiB: a buffer must hold a whole message with its frame headers (up to as
            // much again, for a message of many tiny frames) in one Java array
            if (bytes < 1 || bytes > MAX_MAX_MESSAGE) {
                throw new ZmqTapException("max message size must be from 1 to " + MAX_MAX_MESSAGE
                        + " bytes (1 GiB), not " + bytes);
            }
            maxMessageSize = bytes;
            return this;
        }

        /**
         * Where the wire engine reports a peer it disconnected for breaking the protocol, one line
         * each, e.g. {@code frontend: dropped the connection from 127.0.0.1:50312: a ZMTP/2.0 peer ...}.
         * Called on the forwarding thread: keep it quick. Default: ignore.
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
            Engine chosen = chooseEngine();
            boolean owns = context == null;
            ZContext ctx = owns ? new ZContext(1) : context;
            Attached attached = new Attached();
            List<AutoCloseable> opened = new ArrayList<>();
            try {
                MonitoredQueue queue = chosen == Engine.WIRE
                        ? startWire(ctx, owns, attached, opened)
                        : startJeromq(ctx, owns, attached);
                queue.startThread();
                return queue;
            } catch (RuntimeException e) {
                for (AutoCloseable c : opened) {
                    try {
                        c.close();
                    } catch (Exception ignored) {
                        // failing anyway
                    }
                }
                for (ZMQ.Socket s : attached.sockets) {
                    s.close();
                }
                if (owns) {
                    ctx.close();
                }
                throw e;
            }
        }

        private Engine chooseEngine() {
            String why = wireCannotRun();
            if (engine == Engine.WIRE && why != null) {
                throw new ZmqTapException("the wire engine cannot run this proxy: " + why
                        + " (use the jeromq engine)");
            }
            return engine == Engine.JEROMQ || why != null ? Engine.JEROMQ : Engine.WIRE;
        }

        /** Why the wire engine cannot run this proxy, or {@code null} when it can. */
        private String wireCannotRun() {
            if (frontendType != SocketType.ROUTER || backendType != SocketType.DEALER) {
                return "it runs ROUTER/DEALER queues only, not " + frontendType + "/" + backendType;
            }
            for (List<Endpoint> side : List.of(frontend, backend)) {
                for (Endpoint e : side) {
                    if (!e.address().startsWith("tcp://")) {
                        return "it speaks TCP only, not " + e.address();
                    }
                }
            }
            return null;
        }

        private MonitoredQueue startJeromq(ZContext ctx, boolean owns, Attached attached) {
            ProxySide front = side(ctx, attached.sockets, "frontend", frontendType, frontend);
            ProxySide back = side(ctx, attached.sockets, "backend", backendType, backend);
            CaptureWriter writer = attachCapture(ctx, attached);
            Steering steering = attachControl(ctx, attached);
            SocketWaiter waiter = new SocketWaiter(BusyPoll.of(busyPoll));
            if (front.canReceive()) {
                waiter.add(front.socket);
            }
            if (back.canReceive()) {
                waiter.add(back.socket);
            }
            if (attached.capture != null && attached.capture.getSocketType() == SocketType.XPUB) {
                waiter.add(attached.capture);
            }
            SocketWaiter pausedWaiter = null;
            if (attached.control != null) {
                waiter.add(attached.control);
                pausedWaiter = new SocketWaiter(BusyPoll.OFF); // paused: nothing to hurry for
                pausedWaiter.add(attached.control);
            }
            boolean swap = frontendType == SocketType.ROUTER && backendType == SocketType.ROUTER;
            ProxyLoop loop = new ProxyLoop(front, back, writer, steering, swap, waiter, pausedWaiter);
            return new MonitoredQueue(this, ctx, owns, Engine.JEROMQ, front.endpoints, back.endpoints, attached, loop);
        }

        private MonitoredQueue startWire(ZContext ctx, boolean owns, Attached attached, List<AutoCloseable> opened) {
            try {
                Selector selector = Selector.open();
                opened.add(selector);
                WireSide front = WireSide.frontend();
                WireSide back = WireSide.backend();
                List<WireLoop.Listener> listeners = new ArrayList<>();
                List<WireLoop.Dialer> dialers = new ArrayList<>();
                List<String> frontResolved = wireAttach(front, frontend, listeners, dialers, opened);
                List<String> backResolved = wireAttach(back, backend, listeners, dialers, opened);
                CaptureWriter writer = attachCapture(ctx, attached);
                Steering steering = attachControl(ctx, attached);
                WireLoop loop = new WireLoop(selector, front, back, listeners, dialers, writer, steering,
                        BusyPoll.of(busyPoll), maxMessageSize, notices);
                return new MonitoredQueue(this, ctx, owns, Engine.WIRE, frontResolved, backResolved, attached, loop);
            } catch (IOException e) {
                throw new ZmqTapException("cannot start the wire engine: " + e.getMessage(), e);
            }
        }

        private static List<String> wireAttach(WireSide side, List<Endpoint> endpoints, List<WireLoop.Listener> listeners,
                                               List<WireLoop.Dialer> dialers, List<AutoCloseable> opened) {
            List<String> resolved = new ArrayList<>();
            for (Endpoint e : endpoints) {
                TcpAddress address = TcpAddress.parse(side.role, e.address(), e.bind());
                if (e.bind()) {
                    try {
                        ServerSocketChannel server = ServerSocketChannel.open();
                        opened.add(server);
                        server.bind(address.socketAddress());
                        InetSocketAddress local = (InetSocketAddress) server.getLocalAddress();
                        listeners.add(new WireLoop.Listener(server, side));
                        resolved.add("@" + new TcpAddress(local.getAddress().getHostAddress(), local.getPort()));
                    } catch (IOException | RuntimeException ex) {
                        throw new ZmqTapException("cannot bind " + side.role + " to " + e.address() + ": "
                                + bindFailure(ex), ex);
                    }
                } else {
                    InetSocketAddress target = address.socketAddress();
                    if (target.isUnresolved()) {
                        throw new ZmqTapException("cannot connect " + side.role + " to " + e.address()
                                + ": unknown host " + address.host());
                    }
                    dialers.add(new WireLoop.Dialer(target, side));
                    resolved.add(">" + e.address());
                }
            }
            return resolved;
        }

        /** Java's reason in the words the JeroMQ engine uses, e.g. {@code address already in use}. */
        private static String bindFailure(Exception e) {
            if (e instanceof java.net.BindException && String.valueOf(e.getMessage()).contains("in use")) {
                return "address already in use";
            }
            String why = String.valueOf(e.getMessage());
            return why.isEmpty() ? why : Character.toLowerCase(why.charAt(0)) + why.substring(1);
        }

        private CaptureWriter attachCapture(ZContext ctx, Attached attached) {
            if (capture == null) {
                return new CaptureWriter(null, captureFormat, inPrefix, outPrefix);
            }
            // PUB is XPUB inside: the same on the wire to subscribers, but it tells us when
            // a sniffer has subscribed (see awaitCaptureSubscriber).
            ZMQ.Socket s = newSocket(ctx, attached.sockets, captureType == SocketType.PUB ? SocketType.XPUB : captureType);
            attached.capture = s;
            s.setSndHWM(captureHwm);
            s.setLinger(0);
            if (captureType == SocketType.PUB || captureType == SocketType.XPUB) {
                s.setXpubNoDrop(true); // report a full subscriber instead of dropping quietly
            }
            if (captureType == SocketType.DEALER || captureType == SocketType.PUSH
                    || captureType == SocketType.PAIR) {
                s.setSendTimeOut(0);
            }
            attached.captureEndpoints = Sockets.attach(s, capture, "capture");
            return new CaptureWriter(s.base(), captureFormat, inPrefix, outPrefix);
        }

        private Steering attachControl(ZContext ctx, Attached attached) {
            if (control == null) {
                return null;
            }
            ZMQ.Socket s = newSocket(ctx, attached.sockets, Steering.socketType(controlType));
            s.setLinger(100); // let the reply to TERMINATE leave before we close
            Steering steering = new Steering(s); // names the socket, so before it binds
            attached.controlEndpoints = Sockets.attach(s, control, "control");
            attached.control = s;
            return steering;
        }

        private ProxySide side(ZContext ctx, List<ZMQ.Socket> sockets, String role, SocketType type,
                               List<Endpoint> endpoints) {
            ZMQ.Socket s = newSocket(ctx, sockets, type);
            s.setSndHWM(hwm);
            s.setRcvHWM(hwm);
            s.setLinger(1_000);
            // A short wait for room before the loop turns to other work; see ProxyLoop.deliver.
            s.setSendTimeOut(sendWaitMillis);
            if (type == SocketType.ROUTER) {
                s.setRouterMandatory(true); // report a full or vanished peer instead of dropping quietly
            }
            if (type == SocketType.SUB) {
                for (String topic : subscriptions) {
                    s.subscribe(topic.getBytes(StandardCharsets.UTF_8));
                }
            }
            HandshakeWatchdog watchdog = Sockets.needsWatchdog(type, endpoints)
                    ? HandshakeWatchdog.watch(ctx, s, Sockets.WATCHDOG_STALL_MS) : null;
            ProxySide side = new ProxySide(role, type, s, Sockets.attach(s, endpoints, role));
            side.watchdog = watchdog;
            return side;
        }

        private static ZMQ.Socket newSocket(ZContext ctx, List<ZMQ.Socket> sockets, SocketType type) {
            ZMQ.Socket s = ctx.createSocket(type);
            sockets.add(s);
            return s;
        }

        private static SocketType checked(SocketType type, Set<SocketType> allowed, String role) {
            if (!allowed.contains(type)) {
                throw new ZmqTapException("a " + type + " socket cannot be the " + role + " of a proxy");
            }
            return type;
        }
    }
}
