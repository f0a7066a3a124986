package io.zmqtap.feed;

import io.zmqtap.endpoint.Endpoint;
import io.zmqtap.endpoint.SocketThread;
import io.zmqtap.endpoint.Sockets;
import io.zmqtap.event.CaptureEvent;
import io.zmqtap.security.SocketSecurity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Reads a monitor feed (zmqtap's in any {@link CaptureFormat}, pyzmq MonitoredQueue's, libzmq
 * {@code zmq_proxy}'s capture) and hands each message on, raw and decoded ({@link FeedDecoder}),
 * within bounded memory, counting what it saw ({@link #counters()}).
 *
 * <p>Two threads: one only receives, moving each message into a {@link MessageBuffer} bounded in
 * bytes (or dropping and counting it when the buffer is full), the other hands messages on. So a
 * slow consumer (a terminal, a pipe nobody reads) costs counted drops, not memory, and the
 * receiving thread keeps pace with the network, so that drops happen here, where they are counted,
 * rather than at the publisher. JeroMQ's own queues are kept small and every frame's size bounded
 * ({@link FeedLimits}). A connection JeroMQ drops for an oversized frame is reopened and reported.
 *
 * <pre>{@code
 * try (FeedSubscriber feed = FeedSubscriber.builder(">tcp://localhost:7777")
 *         .format(CaptureFormat.ENVELOPE) // or leave it out: detected per message
 *         .onEvent(sink::accept)
 *         .notices(System.err::println)
 *         .start()) {
 *     feed.awaitTermination();
 *     System.out.println(feed.counters()); // {messages=10, messages_in=5, messages_out=5, ...}
 * }
 * }</pre>
 */
public final class FeedSubscriber implements AutoCloseable {
    /** How long the receiving thread blocks at most, so that it notices being closed. */
    private static final int RECEIVE_TIMEOUT_MS = 100;
    /** How long {@link #close()} waits for a consumer that is stuck, e.g. writing to a full pipe. */
    private static final long HANDLER_JOIN_MS = 1_000;

    private final ZMQ.Socket socket;
    private final FeedDecoder decoder;
    private final FeedCounts counts = new FeedCounts();
    private final Consumer<List<byte[]>> onFrames;
    private final Consumer<CaptureEvent> onEvent;
    private final long limit;
    private final List<String> endpoints;
    private final FeedLimits limits;
    private final FeedConnections connections;
    private final MessageBuffer buffer;
    private final SocketThread receiver;
    private final Thread handler;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean handling = true;
    private volatile long received;
    private volatile long accepted;
    private volatile long delivered;
    private volatile long dropped;

    private FeedSubscriber(Builder b, ZContext context, ZMQ.Socket socket, FeedLimits limits,
                           FeedConnections connections, List<String> endpoints) {
        this.endpoints = endpoints;
        this.socket = socket;
        this.limits = limits;
        this.connections = connections;
        this.decoder = new FeedDecoder(source(endpoints), b.inPrefix, b.outPrefix, b.format);
        this.onFrames = b.onFrames;
        this.onEvent = b.onEvent;
        this.limit = b.limit;
        this.buffer = new MessageBuffer(limits.bufferBytes());
        this.receiver = new SocketThread("zmqtap-feed", context, this::receive);
        this.handler = new Thread(this::handle, "zmqtap-feed-handler");
        this.handler.setDaemon(true); // it may be stuck writing to a full pipe; it must not keep the JVM alive
    }

    public static Builder builder(String endpoint) {
        return new Builder(endpoint);
    }

    /** The events' source: the feed's addresses, e.g. {@code tcp://localhost:7777} (a bound port resolved). */
    public String source() {
        return source(endpoints);
    }

    private static String source(List<String> endpoints) {
        List<String> addresses = new ArrayList<>(endpoints.size());
        for (String e : endpoints) {
            addresses.add(e.startsWith("@") || e.startsWith(">") ? e.substring(1) : e);
        }
        return String.join(",", addresses);
    }

    /** The receiving thread: socket to buffer, nothing else, so that it keeps up with the network. */
    private void receive(BooleanSupplier running) {
        List<byte[]> frames = new ArrayList<>();
        long nextCheck = 0;
        while (running.getAsBoolean() && handling && (limit <= 0 || accepted < limit)) {
            byte[] frame = socket.recv();
            long now = System.nanoTime();
            if (connections != null && (frame == null || now - nextCheck >= 0)) {
                connections.check(); // when idle, and now and then while busy
                nextCheck = now + TimeUnit.MILLISECONDS.toNanos(RECEIVE_TIMEOUT_MS);
            }
            if (frame == null) {
                continue; // receive timeout: see whether we were closed
            }
            frames.add(frame);
            if (socket.hasReceiveMore()) {
                continue;
            }
            List<byte[]> message = List.copyOf(frames);
            frames.clear();
            if (buffer.offer(message, Instant.now())) {
                accepted++;
            } else {
                dropped++;
            }
            received++;
        }
    }

    /** The handling thread: buffer to the consumers, until the limit or until closed. */
    private void handle() {
        try {
            while (handling && (limit <= 0 || delivered < limit)) {
                MessageBuffer.Entry e = buffer.poll(RECEIVE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                if (e == null) {
                    continue;
                }
                delivered++;
                onFrames.accept(e.frames());
                decoder.decode(e.frames(), e.received(), this::deliver);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing
        } finally {
            handling = false; // the receiving thread stops too
        }
    }

    private void deliver(CaptureEvent event) {
        counts.count(event);
        onEvent.accept(event);
    }

    /**
     * What the feed brought so far, by name in snake_case, in this order:
     *
     * <pre>
     * messages          messages handed on (the three below together)
     * messages_in       client to server
     * messages_out      server to client
     * messages_unknown  without a direction (a raw feed)
     * commands          forwarded subscriptions and cancels
     * received          feed messages received (handed on, dropped, or still waiting)
     * dropped           feed messages this subscriber dropped: its buffer was full
     * connection_drops  connections JeroMQ dropped for an oversized frame ({@link #connectionDrops()})
     * feed_dropped      capture messages the queue itself lost, as its envelope metadata says
     * buffered_bytes    bytes waiting to be handed on now
     * </pre>
     */
    public Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        counts.into(c);
        c.put("received", received);
        c.put("dropped", dropped);
        c.put("connection_drops", connectionDrops());
        c.put("feed_dropped", decoder.feedDropped());
        c.put("buffered_bytes", bufferedBytes());
        return c;
    }

    /** Resolved endpoints, e.g. {@code @tcp://127.0.0.1:41234} when bound to port {@code *}. */
    public List<String> endpoints() {
        return endpoints;
    }

    /** The memory limits in force. */
    public FeedLimits limits() {
        return limits;
    }

    /** Messages received so far: {@link #delivered()} + {@link #dropped()} + those still buffered. */
    public long received() {
        return received;
    }

    /** Messages handed to {@code onFrames} and {@code onEvent} so far. */
    public long delivered() {
        return delivered;
    }

    /**
     * Messages received but never handed on: the buffer was full, or they were still in it when
     * the subscriber was closed.
     */
    public long dropped() {
        return dropped;
    }

    /** Bytes (by their heap cost) of the messages waiting to be handed on. */
    public long bufferedBytes() {
        return buffer.bytes();
    }

    /**
     * Times JeroMQ dropped a connection for good (a frame over {@link FeedLimits#maxFrameBytes()})
     * and it was reopened; messages lost that way cannot be counted.
     */
    public long connectionDrops() {
        return connections == null ? 0 : connections.drops();
    }

    /** Waits until {@code limit} messages were handed on or the subscriber was closed. */
    public void awaitTermination() throws InterruptedException {
        handler.join();
    }

    /** As {@link #awaitTermination()}, at most {@code millis}; true if it ended. */
    public boolean awaitTermination(long millis) throws InterruptedException {
        handler.join(Math.max(1, millis));
        return !handler.isAlive();
    }

    /**
     * Stops receiving, counts what is still buffered as dropped, and stops handing on (waiting up
     * to a second for a consumer that is in the middle of a message). Safe to call twice.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        handling = false;
        receiver.close();
        dropped += buffer.close(); // the receiving thread, the only other writer, has ended
        try {
            handler.join(HANDLER_JOIN_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Configures a {@link FeedSubscriber}. */
    public static final class Builder {
        private final String endpoint;
        private SocketType type = SocketType.SUB;
        private byte[] inPrefix = {'i', 'n'};
        private byte[] outPrefix = {'o', 'u', 't'};
        private CaptureFormat format;
        private Consumer<List<byte[]>> onFrames = f -> {};
        private Consumer<CaptureEvent> onEvent = e -> {};
        private Consumer<String> notices = n -> {};
        private long limit;
        private long bufferBytes;
        private long maxFrameBytes;
        private SocketSecurity security;

        private Builder(String endpoint) {
            this.endpoint = endpoint;
        }

        /** SUB (default), PULL, DEALER or PAIR, matching the capture socket's type. */
        public Builder type(SocketType type) {
            this.type = type;
            return this;
        }

        public Builder prefixes(byte[] in, byte[] out) {
            inPrefix = in.clone();
            outPrefix = out.clone();
            return this;
        }

        /**
         * The feed's format, or null (the default) to detect it per message; see {@link FeedDecoder}.
         */
        public Builder format(CaptureFormat format) {
            this.format = format;
            return this;
        }

        /** Called with each message's frames as received, on the subscriber's handling thread. */
        public Builder onFrames(Consumer<List<byte[]>> consumer) {
            onFrames = consumer;
            return this;
        }

        /**
         * Called with each message decoded into an event (and a notice before it when the queue
         * reports lost captures), on the subscriber's handling thread.
         */
        public Builder onEvent(Consumer<CaptureEvent> consumer) {
            onEvent = consumer;
            return this;
        }

        /**
         * Where to report, one line each, what the feed lost uncounted, e.g. {@code JeroMQ dropped the
         * connection to tcp://localhost:7777 after a frame over the 128 KiB limit ...}. Called on the
         * receiving thread: keep it quick. Default: ignore.
         */
        public Builder notices(Consumer<String> notices) {
            this.notices = notices;
            return this;
        }

        /** Stop after handing on this many messages; 0 (default) means never. */
        public Builder limit(long messages) {
            limit = messages;
            return this;
        }

        /**
         * How many bytes of received messages may wait to be handed on (by their heap cost, see
         * {@link FeedLimits}); past it messages are dropped and counted. Default: a quarter of the
         * heap. Example: {@code .buffer(16L << 20)} for 16 MiB.
         */
        public Builder buffer(long bytes) {
            bufferBytes = bytes;
            return this;
        }

        /**
         * The largest frame accepted (JeroMQ's {@code ZMQ_MAXMSGSIZE}, which applies to each frame);
         * a larger one makes JeroMQ drop the connection, which is then reopened and reported through
         * {@link #notices}. Default: 1/512 of the heap, at least 64 KiB. Example: {@code .maxFrameSize(1 << 20)}.
         */
        public Builder maxFrameSize(long bytes) {
            maxFrameBytes = bytes;
            return this;
        }

        /**
         * How to connect to a capture feed that serves CURVE or PLAIN, e.g.
         * {@code SocketSecurity.curveClient(serverPublic, clientSecret)}; null (default): NULL.
         * A feed that refuses this client's key sends nothing.
         */
        public Builder security(SocketSecurity security) {
            this.security = security;
            return this;
        }

        /** Connects (or binds) now, then receives and hands on on threads of its own. */
        public FeedSubscriber start() {
            FeedLimits limits = FeedLimits.forHeap(Runtime.getRuntime().maxMemory(), bufferBytes, maxFrameBytes);
            ZContext context = new ZContext(1);
            try {
                ZMQ.Socket socket = context.createSocket(type);
                socket.setReceiveTimeOut(RECEIVE_TIMEOUT_MS);
                socket.setLinger(0);
                socket.setRcvHWM(limits.receiveHwm());
                socket.setMaxMsgSize(limits.maxFrameBytes());
                if (security != null) {
                    security.apply(socket, null);
                }
                if (type == SocketType.SUB) {
                    socket.subscribe(new byte[0]);
                }
                List<Endpoint> endpoints = Endpoint.parseList(endpoint);
                Set<String> connects = endpoints.stream().filter(e -> !e.bind()).map(Endpoint::address)
                        .collect(Collectors.toSet());
                FeedConnections connections = connects.isEmpty() ? null : FeedConnections.watch(context, socket,
                        connects, Sockets.WATCHDOG_STALL_MS, FeedLimits.size(limits.maxFrameBytes()), notices,
                        security);
                List<String> resolved = Sockets.attach(socket, endpoints, "watcher");
                FeedSubscriber feed = new FeedSubscriber(this, context, socket, limits, connections, resolved);
                feed.handler.start();
                feed.receiver.start();
                return feed;
            } catch (RuntimeException e) {
                context.close();
                throw e;
            }
        }
    }
}
