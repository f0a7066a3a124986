package io.zmqtap.feed;

import io.zmqtap.capture.CaptureEvent;
import io.zmqtap.capture.FeedDecoder;
import io.zmqtap.endpoint.Endpoint;
import io.zmqtap.endpoint.HandshakeWatchdog;
import io.zmqtap.endpoint.SocketThread;
import io.zmqtap.endpoint.Sockets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Reads a monitor feed (zmqtap's or pyzmq MonitoredQueue's) and hands each message on, raw and
 * decoded. Runs on a thread of its own until closed.
 *
 * <pre>{@code
 * try (FeedSubscriber feed = FeedSubscriber.builder(">tcp://localhost:7777")
 *         .onEvent(sink::accept).start()) { ... }
 * }</pre>
 */
public final class FeedSubscriber implements AutoCloseable {
    private final ZMQ.Socket socket;
    private final FeedDecoder decoder;
    private final Consumer<List<byte[]>> onFrames;
    private final Consumer<CaptureEvent> onEvent;
    private final long limit;
    private final List<String> endpoints;
    private final HandshakeWatchdog watchdog;
    private final SocketThread thread;
    private volatile long received;

    private FeedSubscriber(Builder b, ZContext context, ZMQ.Socket socket, HandshakeWatchdog watchdog,
                           List<String> endpoints) {
        this.endpoints = endpoints;
        this.socket = socket;
        this.watchdog = watchdog;
        this.decoder = new FeedDecoder(b.endpoint, b.inPrefix, b.outPrefix);
        this.onFrames = b.onFrames;
        this.onEvent = b.onEvent;
        this.limit = b.limit;
        this.thread = new SocketThread("zmqtap-feed", context, this::loop);
    }

    public static Builder builder(String endpoint) {
        return new Builder(endpoint);
    }

    private void loop(BooleanSupplier running) {
        List<byte[]> frames = new ArrayList<>();
        while (running.getAsBoolean() && (limit <= 0 || received < limit)) {
            byte[] frame = socket.recv();
            if (frame == null) {
                // receive timeout: check whether we were closed, or the connection stalled
                if (watchdog != null) {
                    watchdog.check();
                }
                continue;
            }
            frames.add(frame);
            if (socket.hasReceiveMore()) {
                continue;
            }
            List<byte[]> message = List.copyOf(frames);
            frames.clear();
            received++;
            onFrames.accept(message);
            onEvent.accept(decoder.decode(message, Instant.now()));
        }
    }

    /** Resolved endpoints, e.g. {@code @tcp://127.0.0.1:41234} when bound to port {@code *}. */
    public List<String> endpoints() {
        return endpoints;
    }

    /** Messages received so far. */
    public long received() {
        return received;
    }

    /** Waits until {@code limit} messages arrived or the subscriber was closed. */
    public void awaitTermination() throws InterruptedException {
        thread.awaitTermination();
    }

    public boolean awaitTermination(long millis) throws InterruptedException {
        return thread.awaitTermination(millis);
    }

    @Override
    public void close() {
        thread.close();
    }

    /** Configures a {@link FeedSubscriber}. */
    public static final class Builder {
        private final String endpoint;
        private SocketType type = SocketType.SUB;
        private byte[] inPrefix = {'i', 'n'};
        private byte[] outPrefix = {'o', 'u', 't'};
        private Consumer<List<byte[]>> onFrames = f -> {};
        private Consumer<CaptureEvent> onEvent = e -> {};
        private long limit;

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

        /** Called with each message's frames as received. */
        public Builder onFrames(Consumer<List<byte[]>> consumer) {
            onFrames = consumer;
            return this;
        }

        /** Called with each message decoded into an event. */
        public Builder onEvent(Consumer<CaptureEvent> consumer) {
            onEvent = consumer;
            return this;
        }

        /** Stop after this many messages; 0 (default) means never. */
        public Builder limit(long messages) {
            limit = messages;
            return this;
        }

        /** Connects (or binds) now, then reads on a thread of its own. */
        public FeedSubscriber start() {
            ZContext context = new ZContext(1);
            try {
                ZMQ.Socket socket = context.createSocket(type);
                socket.setReceiveTimeOut(100);
                socket.setLinger(0);
                socket.setRcvHWM(100_000);
                if (type == SocketType.SUB) {
                    socket.subscribe(new byte[0]);
                }
                List<Endpoint> endpoints = Endpoint.parseList(endpoint);
                HandshakeWatchdog watchdog = Sockets.needsWatchdog(type, endpoints)
                        ? HandshakeWatchdog.watch(context, socket, Sockets.WATCHDOG_STALL_MS) : null;
                List<String> resolved = Sockets.attach(socket, endpoints, "watcher");
                FeedSubscriber feed = new FeedSubscriber(this, context, socket, watchdog, resolved);
                feed.thread.start();
                return feed;
            } catch (RuntimeException e) {
                context.close();
                throw e;
            }
        }
    }
}
