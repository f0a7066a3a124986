package io.zmqtap.tap;

import io.zmqtap.curve.CurveBridge;
import io.zmqtap.curve.CurveException;
import io.zmqtap.dissect.ConnectionDissector;
import io.zmqtap.endpoint.NetAddress;
import io.zmqtap.event.Direction;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One accepted client connection and its upstream connection, both non-blocking, and the two
 * {@link Flow}s between them, each served by its own selector thread, and the
 * {@link ConnectionDissector} that decodes copies of both (on the tap's decoding thread):
 *
 * <pre>
 *   client --[flow "in":  client -&gt; upstream, decoded as IN ; TapLoop's thread]--&gt; upstream
 *   client &lt;--[flow "out": upstream -&gt; client, decoded as OUT; OutLoop's thread]-- upstream
 * </pre>
 *
 * Each channel has a key in each selector: the "in" thread reads the client and writes the
 * upstream, the "out" thread the reverse, so each flow (and each key) is touched by one thread
 * only. While the upstream connect is under way the client is not read (its bytes wait in the
 * kernel). A clean end of one direction is passed on as a half-close; when both have ended, both
 * sockets are closed. A failure on either socket resets both, so each peer sees what its
 * counterpart saw; that, and the end, may come from either thread, once.
 *
 * <p>Decrypting ({@link Decryption}): once the upstream is connected, the "in" thread runs both
 * CURVE handshakes ({@link CurveHandshakeIo}: the tap is the server to the client and a client to
 * the upstream); only when both are through are the flows made, each with a {@link DecryptingRelay}
 * that opens what its source sends and seals it again for its destination, and the dissector is
 * shown the plaintext. A handshake that fails closes this connection only, with one notice.
 */
final class TapConnection {
    /** Where the connection is in its life. */
    enum State { CONNECTING, OPEN, CLOSED }

    /** How {@link #close} reports the end to the event stream. */
    enum Ending {
        /** Both directions ended or one failed: {@code CLOSED} as usual. */
        CLOSED,
        /** Dropped by the tap before the handshake was through: no event unless {@code OPENED} went out. */
        DROPPED,
        /** Never forwarded anything (the upstream could not be reached): no event; the notice says it. */
        SILENT
    }

    /** The route it came in on. */
    final TapListener listener;
    /** When it was accepted ({@link System#nanoTime()}): its connect and handshake deadlines count from here. */
    final long acceptedAt;
    private final SocketChannel client;
    private final SocketChannel upstream;
    private final ConnectionDissector dissector;
    private final Decoding decoding;
    private final TapCounters counters;
    private final Consumer<TapConnection> onClosed;
    /** Null for a plain tap. */
    private final Decryption decryption;
    /** The CURVE handshakes while they run (the "in" thread's); null otherwise. */
    private CurveHandshakeIo handshake;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicInteger flowsDone = new AtomicInteger();
    private volatile State state = State.CONNECTING;
    private OutLoop outLoop;
    /** Client to upstream: the "in" thread's. */
    private final Leg in = new Leg();
    /** Upstream to client: the "out" thread's. */
    private final Leg out = new Leg();

    /** @param onClosed runs once, on whichever thread closes the connection */
    TapConnection(TapListener listener, SocketChannel client, SocketChannel upstream, ConnectionDissector dissector,
            Decoding decoding, TapCounters counters, long acceptedAt, Consumer<TapConnection> onClosed) {
        this(listener, client, upstream, dissector, decoding, counters, acceptedAt, onClosed, null);
    }

    /** @param decryption how to terminate CURVE on both sides, or null to forward bytes unchanged */
    TapConnection(TapListener listener, SocketChannel client, SocketChannel upstream, ConnectionDissector dissector,
            Decoding decoding, TapCounters counters, long acceptedAt, Consumer<TapConnection> onClosed,
            Decryption decryption) {
        this.decryption = decryption;
        this.listener = listener;
        this.client = client;
        this.upstream = upstream;
        this.dissector = dissector;
        this.decoding = decoding;
        this.counters = counters;
        this.acceptedAt = acceptedAt;
        this.onClosed = onClosed;
    }

    /** On the "in" thread: registers with its selector; {@code connected} when the upstream connect finished at once. */
    void registerIn(Selector selector, OutLoop outLoop, boolean connected) throws IOException {
        this.outLoop = outLoop;
        in.source = client.register(selector, 0, this);
        in.destination = upstream.register(selector, connected ? 0 : SelectionKey.OP_CONNECT, this);
        if (connected) {
            open();
        }
    }

    /** On the "in" thread: the upstream says its connect is done; throws if it failed. */
    void finishConnect() throws IOException {
        if (upstream.finishConnect()) {
            open();
        }
    }

    private void open() throws IOException {
        NetAddress.configure(client); // no Nagle delay: small messages must go out at once
        NetAddress.configure(upstream);
        if (decryption != null) {
            state = State.OPEN;
            handshake = new CurveHandshakeIo(decryption.bridge(), client, upstream);
            handshake.start();
            handshakeInterest();
            return;
        }
        in.flow = new Flow(client, upstream, new Feed(decoding, dissector, Direction.IN), counters.bytesIn);
        out.flow = new Flow(upstream, client, new Feed(decoding, dissector, Direction.OUT), counters.bytesOut);
        state = State.OPEN;
        in.updateInterest();
        outLoop.adopt(this); // hands out.flow over (through the loop's task queue)
    }

    /** On the "in" thread, both handshakes through: the flows start, each opening and sealing again. */
    private void decrypting() {
        CurveBridge bridge = handshake.bridge;
        handshake = null;
        dissector.decryptedCurve(bridge.clientKeyZ85(), bridge.serverKeyZ85());
        Feed inFeed = new Feed(decoding, dissector, Direction.IN);
        Feed outFeed = new Feed(decoding, dissector, Direction.OUT);
        inFeed.show(bridge.clientPrologue()); // the dissector sees a plaintext handshake with the real metadata
        outFeed.show(bridge.serverPrologue());
        in.flow = new Flow(client, upstream, inFeed, counters.bytesIn, new DecryptingRelay(bridge.clientToServer()));
        out.flow = new Flow(upstream, client, outFeed, counters.bytesOut, new DecryptingRelay(bridge.serverToClient()));
        in.updateInterest();
        outLoop.adopt(this);
    }

    private void handshakeInterest() {
        Leg.interest(in.source, handshake.clientOps());
        Leg.interest(in.destination, handshake.upstreamOps());
    }

    /** On the "in" thread: a turn of the CURVE handshakes; a failure closes this connection, with one notice. */
    private void serveHandshake(SelectionKey key, ByteBuffer io) {
        CurveHandshakeIo.Outcome o;
        try {
            o = handshake.serve(key, key == in.source, io);
        } catch (CurveException e) {
            close(true, Ending.DROPPED);
            decryption.failed(dissector, e);
            return;
        } catch (CurveHandshakeIo.Ended e) {
            close(true, Ending.DROPPED);
            if (!e.byClient) { // a client may give up quietly; an upstream that hangs up says something
                decryption.failed(dissector, new CurveException(CurveException.Kind.MALFORMED, e.getMessage()
                        + " (does it hold --decrypt's key, and does it speak CURVE?)"));
            }
            return;
        } catch (IOException | RuntimeException e) {
            close(true, Ending.DROPPED);
            return;
        }
        try {
            switch (o) {
                case WAITING -> handshakeInterest();
                case REFUSED -> {
                    String reason = handshake.bridge.refused();
                    close(false, Ending.DROPPED); // the ERROR went out whole: a FIN, not a reset, so the client reads it
                    decryption.refused(dissector, reason);
                }
                case ESTABLISHED -> decrypting();
            }
        } catch (RuntimeException e) {
            close(true, Ending.CLOSED);
        }
    }

    /** On the "out" thread: registers with its selector and starts reading the upstream. */
    void registerOut(Selector selector) {
        try {
            out.source = upstream.register(selector, 0, this);
            out.destination = client.register(selector, 0, this);
            out.flow.drain(); // what the server sent right behind its READY (read with the handshake); nothing when plain
            out.updateInterest();
        } catch (DecryptingRelay.Failure e) {
            close(true, Ending.CLOSED);
            decryption.failed(dissector, e.cause());
        } catch (IOException | RuntimeException e) {
            close(true, Ending.CLOSED); // closed by the "in" thread before it got here: nothing to do
        }
    }

    /** On the "in" thread: writes what waits for the upstream, then reads the client. */
    void serveIn(SelectionKey key, ByteBuffer io) {
        if (handshake != null) {
            serveHandshake(key, io);
            return;
        }
        serve(in, key, io);
    }

    /** On the "out" thread: writes what waits for the client, then reads the upstream. */
    void serveOut(SelectionKey key, ByteBuffer io) {
        serve(out, key, io);
    }

    private void serve(Leg leg, SelectionKey key, ByteBuffer io) {
        try {
            if (key == leg.destination && key.isWritable()) {
                leg.flow.flush();
            }
            if (key == leg.source && key.isReadable() && leg.flow.wantsRead()) {
                leg.flow.read(io);
            }
            leg.updateInterest();
            if (!leg.done && leg.flow.ended() && !leg.flow.hasPending()) {
                leg.done = true;
                flowDone();
            }
        } catch (DecryptingRelay.Failure e) {
            close(true, Ending.CLOSED);
            decryption.failed(dissector, e.cause());
        } catch (IOException | RuntimeException e) {
            close(true, Ending.CLOSED); // reset, refused, closed under us: tear both down
        }
    }

    /** A direction has ended and written everything; the second one closes the connection. */
    private void flowDone() {
        if (flowsDone.incrementAndGet() == 2) {
            close(false, Ending.CLOSED);
        }
    }

    State state() {
        return state;
    }

    ConnectionDissector dissector() {
        return dissector;
    }

    /**
     * Closes both sockets, with a reset when {@code reset}, and reports the end as {@code ending}
     * says, once, from any thread. The other loop is woken so that its selector lets go of the
     * sockets now (a registered channel is really closed, and the reset sent, only then).
     */
    void close(boolean reset, Ending ending) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        state = State.CLOSED;
        Channels.close(client, reset);
        Channels.close(upstream, reset);
        Instant now = Instant.now();
        switch (ending) { // behind the chunks still being decoded; CLOSED counts the bytes they hold
            case CLOSED -> decoding.run(() -> dissector.close(now));
            case DROPPED -> decoding.run(() -> dissector.drop(now));
            case SILENT -> { }
        }
        if (outLoop != null) {
            outLoop.wakeup();
        }
        onClosed.accept(this);
    }

    /** One flow and the keys of the one thread that serves it: its source's (read) and its destination's (write). */
    private static final class Leg {
        Flow flow;
        SelectionKey source;
        SelectionKey destination;
        boolean done;

        void updateInterest() {
            interest(source, flow.wantsRead() ? SelectionKey.OP_READ : 0);
            interest(destination, flow.hasPending() ? SelectionKey.OP_WRITE : 0);
        }

        static void interest(SelectionKey key, int ops) {
            if (key.interestOps() != ops) {
                key.interestOps(ops);
            }
        }
    }

    /**
     * Stamps what a flow forwards as it arrives (its place in the connection's causal order) and
     * hands a copy to the decoding thread, for one direction of the dissector.
     */
    private static final class Feed implements Flow.Observer {
        private final Decoding decoding;
        private final ConnectionDissector dissector;
        private final boolean fromClient;
        private ConnectionDissector.Stamp stamp;

        Feed(Decoding decoding, ConnectionDissector dissector, Direction direction) {
            this.decoding = decoding;
            this.dissector = dissector;
            this.fromClient = direction == Direction.IN;
        }

        @Override
        public void arrived() {
            stamp = dissector.stamp(Instant.now());
        }

        @Override
        public void forwarded(ByteBuffer chunk) {
            ConnectionDissector.Stamp s = stamp;
            decoding.chunk(chunk, fromClient ? copy -> dissector.client(s, copy) : copy -> dissector.server(s, copy));
        }

        /** Shows the dissector bytes that were not read from a socket (a synthesised handshake), in order. */
        void show(ByteBuffer bytes) {
            arrived();
            forwarded(bytes);
        }

        @Override
        public void end() {
            ConnectionDissector.Stamp s = dissector.stamp(Instant.now());
            decoding.run(fromClient ? () -> dissector.clientEnded(s) : () -> dissector.serverEnded(s));
        }
    }
}
