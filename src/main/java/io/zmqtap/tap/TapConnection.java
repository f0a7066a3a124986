package io.zmqtap.tap;

import io.zmqtap.endpoint.NetAddress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * One accepted client connection and its upstream connection, both non-blocking, served by the
 * tap's loop thread: the two {@link Flow}s between them and their selector interest.
 *
 * <pre>
 *   client --[flow "in":  client -&gt; upstream, decoded as IN ]--&gt; upstream
 *   client &lt;--[flow "out": upstream -&gt; client, decoded as OUT]-- upstream
 * </pre>
 *
 * While the upstream connect is under way the client is not read (its bytes wait in the kernel).
 * A clean end of one direction is passed on as a half-close; when both have ended, both sockets
 * are closed. A failure on either socket resets both, so each peer sees what its counterpart saw.
 *
 * <p>Not thread-safe: only the loop thread touches it.
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
    private final SocketChannel client;
    private final SocketChannel upstream;
    private final ConnectionEvents events;
    private final Decoding decoding;
    private final TapCounters counters;
    /** When it was accepted ({@link System#nanoTime()}): its connect and handshake deadlines count from here. */
    final long acceptedAt;
    private SelectionKey clientKey;
    private SelectionKey upstreamKey;
    private Flow in;
    private Flow out;
    private State state = State.CONNECTING;

    TapConnection(TapListener listener, SocketChannel client, SocketChannel upstream, ConnectionEvents events,
            Decoding decoding, TapCounters counters, long acceptedAt) {
        this.listener = listener;
        this.decoding = decoding;
        this.client = client;
        this.upstream = upstream;
        this.events = events;
        this.counters = counters;
        this.acceptedAt = acceptedAt;
    }

    /** Registers both channels with the loop's selector; {@code connected} when the upstream connect finished at once. */
    void register(Selector selector, boolean connected) throws IOException {
        clientKey = client.register(selector, 0, this);
        upstreamKey = upstream.register(selector, connected ? 0 : SelectionKey.OP_CONNECT, this);
        if (connected) {
            open();
        }
    }

    /** The upstream says its connect is done; throws if it failed. */
    void finishConnect() throws IOException {
        if (upstream.finishConnect()) {
            open();
        }
    }

    private void open() throws IOException {
        NetAddress.configure(client); // no Nagle delay: small messages must go out at once
        NetAddress.configure(upstream);
        in = new Flow(client, upstream, new Feed(decoding, events.in()), counters.bytesIn);
        out = new Flow(upstream, client, new Feed(decoding, events.out()), counters.bytesOut);
        state = State.OPEN;
        updateInterest();
    }

    /**
     * Serves one ready key of this connection: writes what waits for that channel, then reads from
     * it. Throws when a read or write fails; the caller then resets the connection.
     */
    void serve(SelectionKey key, ByteBuffer io) throws IOException {
        boolean fromClient = key == clientKey;
        Flow reading = fromClient ? in : out;
        Flow writing = fromClient ? out : in;
        int ready = key.readyOps();
        if ((ready & SelectionKey.OP_WRITE) != 0) {
            writing.flush();
        }
        if ((ready & SelectionKey.OP_READ) != 0 && reading.wantsRead()) {
            reading.read(io);
        }
        updateInterest();
    }

    private void updateInterest() {
        interest(clientKey, (in.wantsRead() ? SelectionKey.OP_READ : 0) | (out.hasPending() ? SelectionKey.OP_WRITE : 0));
        interest(upstreamKey, (out.wantsRead() ? SelectionKey.OP_READ : 0) | (in.hasPending() ? SelectionKey.OP_WRITE : 0));
    }

    private static void interest(SelectionKey key, int ops) {
        if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    /** True when both directions have ended and everything was written: time to close. */
    boolean finished() {
        return state == State.OPEN && in.ended() && out.ended() && !in.hasPending() && !out.hasPending();
    }

    State state() {
        return state;
    }

    ConnectionEvents events() {
        return events;
    }

    /** Closes both sockets, with a reset when {@code reset}, and reports the end as {@code ending} says. Once only. */
    void close(boolean reset, Ending ending) {
        if (state == State.CLOSED) {
            return;
        }
        boolean wasOpen = state == State.OPEN;
        state = State.CLOSED;
        cancel(clientKey);
        cancel(upstreamKey);
        Channels.close(client, reset);
        Channels.close(upstream, reset);
        long bytesIn = wasOpen ? in.bytes() : 0;
        long bytesOut = wasOpen ? out.bytes() : 0;
        switch (ending) { // behind the chunks still being decoded
            case CLOSED -> decoding.run(() -> events.closed(bytesIn, bytesOut));
            case DROPPED -> decoding.run(() -> events.dropped(bytesIn, bytesOut));
            case SILENT -> { }
        }
    }

    /** Hands what a flow forwarded to the decoding thread, for one direction's decoder. */
    private record Feed(Decoding decoding, DirectionDecoder side) implements Flow.Observer {
        @Override
        public void forwarded(ByteBuffer chunk) {
            decoding.chunk(side, chunk);
        }

        @Override
        public void end() {
            decoding.run(side::end);
        }
    }

    private static void cancel(SelectionKey key) {
        if (key != null) {
            key.cancel();
        }
    }
}
