package io.zmqtap.tap;

import io.zmqtap.endpoint.Closing;
import io.zmqtap.ZmqTapException;
import io.zmqtap.curve.KeyPair;
import io.zmqtap.dissect.Dissector;
import io.zmqtap.event.NoticeEvent;
import io.zmqtap.endpoint.BusyPoll;
import io.zmqtap.endpoint.NetAddress;
import io.zmqtap.endpoint.Notices;
import io.zmqtap.event.Sink;
import io.zmqtap.zmtp.ZmtpDecoder;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A transparent ZMTP tap: accepts connections ({@code tcp://} or {@code ipc://}), forwards each to
 * its upstream unchanged (both ways, with backpressure), and has a copy of each direction decoded
 * into capture events for a sink ({@link io.zmqtap.dissect}: this package only moves bytes).
 *
 * <pre>
 *   client [REQ] --&gt; :4444 WireTap --&gt; :5555 [REP] server
 *                          |
 *                          v sink: open/close, handshakes, messages, commands, protocol errors, notices
 * </pre>
 *
 * <p>Four threads, however many connections: two forward, each with a selector, one direction
 * of every connection (see {@link ForwardLoop} for why two), one decodes copies of what was
 * forwarded, one hands events to the sink. Against hostile or heavy load: at most {@link Builder#maxConnections} connections (more
 * are closed at once), a connection whose ZMTP handshake is not through within
 * {@link Builder#handshakeTimeout} is dropped, an idle connection holds no buffer, and repeated
 * notices are summed up ({@link Notices}) and counted.
 *
 * <p>Usage:
 * <pre>{@code
 * try (WireTap tap = WireTap.builder()
 *         .route("tcp://127.0.0.1:0", "tcp://127.0.0.1:5555")
 *         .sink(new ConsoleSink(new PrintWriter(System.out)))
 *         .maxFrame(1 << 20)
 *         .start()) {
 *     String endpoint = tap.listenAddresses().get(0); // "tcp://127.0.0.1:41234": connect the client here
 *     ...
 *     tap.statistics().summary();
 * }
 * }</pre>
 *
 * <p>Each connection's events name it by its listen address as bound ({@code source}, e.g.
 * {@code tcp://127.0.0.1:41234}) and its id ({@code conn}: {@code c1}, {@code c2}, … over every
 * route); messages are numbered ({@code seq}) over the whole tap. Notices about the tap as a whole
 * have no {@code conn} and the source {@link #source()}.
 *
 * <p>With {@link Builder#decrypt} it sees inside CURVE: it terminates CURVE on both sides of each
 * connection (the server to the client, with the server's keys; a client to the server) and the
 * events show the decrypted conversation.
 *
 * <p>Events reach the sink on a thread of their own, through a bounded queue; when the sink cannot
 * keep up, events are dropped and counted ({@link TapStatistics#eventsDropped()}), never the
 * forwarded traffic. The tap does not close the sink: whoever made it does.
 */
public final class WireTap implements AutoCloseable {
    /**
     * How long each forwarding thread polls its sockets after traffic before it sleeps in
     * {@code select()}, unless told otherwise: 200 µs gave 0.91-0.93x direct throughput where 100 µs
     * gave 0.80-0.86x (measured with a thread per direction; kept for the selector loop).
     */
    public static final Duration DEFAULT_BUSY_POLL = Duration.ofNanos(200_000);
    /** Connections open at once unless told otherwise; each holds two file descriptors. */
    public static final int DEFAULT_MAX_CONNECTIONS = 1024;
    /** How long a connection may take to finish its ZMTP handshake unless told otherwise (libzmq's default too). */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);

    /** The largest frame a decrypting tap holds to open it, unless told otherwise. */
    public static final int DEFAULT_DECRYPT_MAX_FRAME = 64 << 20;

    /** Bytes of forwarded chunks that may wait for decoding before forwarding waits for it (see {@link Decoding}). */
    private static final long DECODE_BUDGET = 8L << 20;

    private final List<TapListener> listeners;
    private final TapCounters counters = new TapCounters();
    private final EventQueue events;
    private final Decoding decoding;
    private final TapNotices notices;
    private final TapLoop loop;
    private final OutLoop out;
    private boolean closed;

    private WireTap(Builder b, List<TapListener> listeners) throws IOException {
        this.listeners = listeners;
        String source = source();
        this.events = new EventQueue(b.sinkFor.apply(source), b.queueCapacity, b.queueBytes);
        this.decoding = new Decoding(DECODE_BUDGET);
        this.notices = new TapNotices(events::offer, source, Notices.DEFAULT_WINDOW_NANOS);
        Dissector dissector = new Dissector(events::offer, b.maxFrame, counters);
        TapLoop.Settings settings = new TapLoop.Settings(source, b.maxConnections, b.connectTimeoutMillis * 1_000_000L,
                b.handshakeTimeout.toNanos(), BusyPoll.of(b.busyPoll));
        OutLoop second = null;
        try {
            second = new OutLoop(source, settings.busyPoll(), decoding, events::offer);
            Decryption decryption = b.decryptServer == null ? null : new Decryption(
                    new Decryption.Settings(b.decryptServer, decryptClient(b), b.decryptMaxFrame), notices);
            this.loop = new TapLoop(listeners, settings, dissector, events::offer, counters, notices, decoding, second,
                    decryption);
        } catch (IOException | RuntimeException e) {
            if (second != null) {
                Closing.quietly(second.selector);
            }
            decoding.close();
            events.close();
            throw e;
        }
        this.out = second;
        out.start();
        loop.start();
    }

    /** The client keys a decrypting tap shows the server: the given ones, or a throwaway pair, said in one notice. */
    private KeyPair decryptClient(Builder b) {
        if (b.decryptClient != null) {
            return b.decryptClient;
        }
        KeyPair throwaway = KeyPair.generate();
        events.offer(new NoticeEvent(Instant.now(), source(), NoticeEvent.Level.INFO, "decrypting CURVE with a "
                + "throwaway client key " + throwaway.publicKeyZ85() + " towards the server: only a server that "
                + "accepts any client key will talk to the tap (give a client certificate it accepts to change that)"));
        return throwaway;
    }

    /** Starts configuring a tap: routes, sink, limits (see the example above); {@link Builder#start()} starts it. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The endpoints actually listened on, in route order, ready to connect to: e.g.
     * {@code tcp://127.0.0.1:41234} (the real port for port 0) or {@code ipc:///tmp/tap.sock}.
     */
    public List<String> listenAddresses() {
        return listeners.stream().map(TapListener::bound).toList();
    }

    /**
     * What events about the tap as a whole name as their source: its listen address as bound,
     * e.g. {@code tcp://127.0.0.1:41234}, or {@code tap} when it listens on several.
     */
    public String source() {
        return listeners.size() == 1 ? listeners.get(0).bound() : "tap";
    }

    /** The routes with their actual listen ports, e.g. {@code tcp://127.0.0.1:41234 -> tcp://127.0.0.1:5555}. */
    public List<Route> routes() {
        return listeners.stream().map(TapListener::boundRoute).toList();
    }

    /** Totals so far (a consistent-enough snapshot: counters are read one after another). */
    public TapStatistics statistics() {
        return counters.snapshot(notices.total(), events.dropped());
    }

    /**
     * Stops listening, resets every open connection, stops the threads, and delivers the remaining
     * events (each connection's {@code CLOSED}, the summaries of repeated notices, and a notice if
     * events were dropped).
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            loop.stop(); // resets every connection: the out loop then has nothing left to read
            out.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        decoding.close(); // the last chunks and each connection's CLOSED
        notices.flush();
        long dropped = events.dropped();
        if (dropped > 0) {
            events.offer(new NoticeEvent(Instant.now(), source(), NoticeEvent.Level.WARNING,
                    dropped + " events dropped because the sink could not keep up"));
        }
        events.close();
    }

    /** Configures a {@link WireTap}; {@link #start()} binds every route and starts forwarding. */
    public static final class Builder {
        private final List<Route> routes = new ArrayList<>();
        private Function<String, ? extends Sink> sinkFor = source -> event -> {};
        private int maxFrame = ZmtpDecoder.DEFAULT_MAX_FRAME;
        private int connectTimeoutMillis = 5_000;
        private int queueCapacity = 65_536;
        private long queueBytes = 64L << 20;
        private Duration busyPoll = DEFAULT_BUSY_POLL;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private int backlog = NetAddress.DEFAULT_BACKLOG;
        private KeyPair decryptServer;
        private KeyPair decryptClient;
        private int decryptMaxFrame = DEFAULT_DECRYPT_MAX_FRAME;

        private Builder() {}

        /**
         * Sees inside CURVE, as mitmproxy does for TLS: the tap terminates CURVE on both sides of
         * every connection (every route). To the client it is the server: it holds the server's
         * long-term keys ({@code server}, from its secret certificate), so a client that pinned the
         * server's public key completes its handshake with the tap. To the server it is a CURVE
         * client with {@code client}'s keys (which the server's ZAP handler must accept), or, when
         * {@code client} is null, with a throwaway pair (one notice says so; only a server that
         * accepts any key will talk to it). Both peers run CURVE unchanged; the events show the
         * decrypted conversation, and each handshake names the client's long-term key.
         *
         * <p>Usage: {@code WireTap.builder().route(...).decrypt(KeyPair.of(Certificates.loadSecret(serverSecret)), KeyPair.of(Certificates.loadSecret(clientSecret))).start()}
         */
        public Builder decrypt(KeyPair server, KeyPair client) {
            this.decryptServer = Objects.requireNonNull(server);
            this.decryptClient = client;
            return this;
        }

        /**
         * The largest frame a decrypting tap holds to open (default {@link #DEFAULT_DECRYPT_MAX_FRAME},
         * 64 MiB): a box must be whole to be opened. A larger frame closes its connection with a notice.
         */
        public Builder decryptMaxFrame(int bytes) {
            if (bytes < 64) {
                throw new IllegalArgumentException("decryptMaxFrame must be >= 64, got " + bytes);
            }
            this.decryptMaxFrame = bytes;
            return this;
        }

        /**
         * Listens on {@code listen} and forwards to {@code upstream}: {@code tcp://host:port} (port 0
         * for any, when listening) or {@code ipc:///path}, e.g. {@code route("ipc:///tmp/tap.sock", "tcp://127.0.0.1:5555")}.
         */
        public Builder route(String listen, String upstream) {
            return route(Route.parse(listen, upstream));
        }

        public Builder route(Route route) {
            routes.add(Objects.requireNonNull(route));
            return this;
        }

        /** Where events go (default: nowhere). Called from one thread at a time. */
        public Builder sink(Sink sink) {
            Objects.requireNonNull(sink);
            this.sinkFor = source -> sink;
            return this;
        }

        /**
         * Where events go, made once the routes are bound from the tap's {@link WireTap#source()}
         * (which names the port actually bound when a route asked for port 0), e.g. to name a
         * pipeline after it.
         *
         * <p>Usage: {@code builder.sinkFor(source -> Pipeline.builder(source).sink(console).start())}
         */
        public Builder sinkFor(Function<String, ? extends Sink> make) {
            this.sinkFor = Objects.requireNonNull(make);
            return this;
        }

        /**
         * Bytes of each frame kept in events (default 1 MiB), as {@code zmqtap tap --snap}; longer
         * frames are truncated, their size kept.
         */
        public Builder snap(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("snap must be >= 0, got " + bytes);
            }
            this.maxFrame = bytes;
            return this;
        }

        /** The former name of {@link #snap(int)}. */
        @Deprecated
        public Builder maxFrame(int bytes) {
            return snap(bytes);
        }

        /** How long to wait for an upstream connect before closing the client (default 5 s; 0: as long as the OS does). */
        public Builder connectTimeoutMillis(int millis) {
            this.connectTimeoutMillis = millis;
            return this;
        }

        /** Events waiting for the sink at most (default 65536); beyond that they are dropped and counted. */
        public Builder queueCapacity(int events) {
            this.queueCapacity = events;
            return this;
        }

        /**
         * How long the forwarding thread keeps polling its sockets after traffic, yielding the CPU,
         * before it sleeps (default {@link #DEFAULT_BUSY_POLL}, 200 µs; zero: sleep at once). Saves a
         * thread wake-up per chunk under steady traffic; costs CPU time while traffic is light but
         * steady. See {@link BusyPoll}.
         */
        public Builder busyPoll(Duration spell) {
            BusyPoll.of(spell); // rejects a negative spell here, not in the loop
            busyPoll = spell;
            return this;
        }

        /**
         * Connections open at once, over every route (default {@link #DEFAULT_MAX_CONNECTIONS}, 1024).
         * A client that connects beyond it is closed at once with a reset, and a notice says so
         * (repeats summed up); {@link TapStatistics#refused()} counts them.
         *
         * <p>Usage: {@code WireTap.builder().route(...).maxConnections(50).start()}
         */
        public Builder maxConnections(int connections) {
            if (connections < 1) {
                throw new IllegalArgumentException("maxConnections must be >= 1, got " + connections);
            }
            this.maxConnections = connections;
            return this;
        }

        /**
         * How long a connection may take, from being accepted, until both peers' ZMTP handshakes are
         * through (greetings, then READY, or the PLAIN/CURVE commands up to INITIATE and READY);
         * default {@link #DEFAULT_HANDSHAKE_TIMEOUT}, 30 s, as libzmq's {@code ZMQ_HANDSHAKE_IVL}.
         * A connection not there in time is reset with a notice. A direction whose bytes are not
         * ZMTP ends the wait (the tap cannot tell, and keeps forwarding). Zero: never drop.
         *
         * <p>Usage: {@code WireTap.builder().route(...).handshakeTimeout(Duration.ofSeconds(5)).start()}
         */
        public Builder handshakeTimeout(Duration timeout) {
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("handshakeTimeout cannot be negative: " + timeout);
            }
            this.handshakeTimeout = timeout;
            return this;
        }

        /**
         * The accept queue each listener asks the kernel for (default {@link NetAddress#DEFAULT_BACKLOG},
         * 1024; the kernel may cap it, on Linux at {@code net.core.somaxconn}): connects beyond it
         * in a burst are refused or retried by the client's kernel.
         *
         * <p>Usage: {@code WireTap.builder().route(...).backlog(4096).start()}
         */
        public Builder backlog(int backlog) {
            if (backlog < 1) {
                throw new IllegalArgumentException("backlog must be >= 1, got " + backlog);
            }
            this.backlog = backlog;
            return this;
        }

        /** Binds every route and starts forwarding; throws {@code ZmqTapException} if a route cannot listen. */
        public WireTap start() {
            if (routes.isEmpty()) {
                throw new IllegalStateException("no route: call route(listen, upstream) first");
            }
            List<TapListener> listeners = new ArrayList<>();
            try {
                for (Route r : routes) {
                    listeners.add(TapListener.listen(r, backlog));
                }
                return new WireTap(this, List.copyOf(listeners));
            } catch (IOException | RuntimeException e) {
                listeners.forEach(TapListener::close);
                if (e instanceof IOException io) {
                    throw new ZmqTapException("cannot start the tap: " + io.getMessage(), io);
                }
                throw (RuntimeException) e;
            }
        }
    }
}
