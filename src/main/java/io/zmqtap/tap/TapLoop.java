package io.zmqtap.tap;

import io.zmqtap.dissect.ConnectionDissector;
import io.zmqtap.dissect.Dissector;
import io.zmqtap.endpoint.Closing;
import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.NoticeEvent;
import io.zmqtap.endpoint.BusyPoll;
import io.zmqtap.endpoint.NetAddress;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The tap's first selector thread: accepts clients, connects upstream (non-blocking: a slow or
 * failing upstream holds up no one), reads every client and writes what it read upstream (each
 * connection's "in" flow), and keeps the connection limit, the connect and handshake deadlines and
 * the notices. {@link OutLoop} moves the other direction; the bytes of one connection are
 * {@link TapConnection}'s job. Fairness: each ready socket gets one read of at most
 * {@link Flow#CHUNK} bytes per turn.
 *
 * <p>Usage: {@code TapLoop loop = new TapLoop(listeners, settings, dissector, queue::offer, counters, notices, decoding, out); loop.start(); ... loop.stop();}
 */
final class TapLoop extends ForwardLoop {
    /** How long accepting pauses after it failed (e.g. out of file descriptors), as ZeroMQ's reconnect interval. */
    private static final long ACCEPT_PAUSE_NANOS = 100_000_000L;
    /** Connections taken from one listener per turn, so that a flood of connects does not starve traffic. */
    private static final int ACCEPTS_PER_TURN = 64;
    /** The longest sleep: notices' summaries and paused listeners are looked at least this often. */
    private static final long MAX_SLEEP_MILLIS = 1_000;

    /** What the loop needs to know beside its sockets; see {@link WireTap.Builder}. */
    record Settings(String source, int maxConnections, long connectTimeoutNanos, long handshakeTimeoutNanos,
            BusyPoll busyPoll) {}

    private final List<TapListener> listeners;
    private final Settings settings;
    private final Dissector dissector;
    private final TapCounters counters;
    private final TapNotices notices;
    private final Decoding decoding;
    private final OutLoop out;
    /** Null unless the tap decrypts CURVE. */
    private final Decryption decryption;
    /** Added by this thread; removed by whichever thread closes the connection. */
    private final Set<TapConnection> open = ConcurrentHashMap.newKeySet();
    /** In accept order, so in deadline order: the heads are the only ones to look at. */
    private final ArrayDeque<TapConnection> connecting = new ArrayDeque<>();
    private final ArrayDeque<TapConnection> handshaking = new ArrayDeque<>();
    private final List<TapListener> acceptPaused = new ArrayList<>();
    private long acceptAgainAt;
    private long nextId = 1;

    /** Registers the listeners (bound already) with a new selector; {@link #start()} starts the thread. */
    TapLoop(List<TapListener> listeners, Settings settings, Dissector dissector, Consumer<CaptureEvent> events,
            TapCounters counters, TapNotices notices, Decoding decoding, OutLoop out) throws IOException {
        this(listeners, settings, dissector, events, counters, notices, decoding, out, null);
    }

    /** @param decryption how to terminate CURVE on both sides of every connection, or null to forward bytes as they are */
    TapLoop(List<TapListener> listeners, Settings settings, Dissector dissector, Consumer<CaptureEvent> events,
            TapCounters counters, TapNotices notices, Decoding decoding, OutLoop out, Decryption decryption)
            throws IOException {
        super("zmqtap-tap-in", settings.source(), settings.busyPoll(), decoding, events);
        this.decryption = decryption;
        this.decoding = decoding;
        this.out = out;
        this.listeners = listeners;
        this.settings = settings;
        this.dissector = dissector;
        this.counters = counters;
        this.notices = notices;
        try {
            for (TapListener l : listeners) {
                l.channel().configureBlocking(false);
                l.channel().register(selector, SelectionKey.OP_ACCEPT, l);
            }
        } catch (IOException | RuntimeException e) {
            Closing.quietly(selector);
            throw e;
        }
    }

    @Override
    protected void handle(SelectionKey k) {
        if (k.attachment() instanceof TapConnection c) {
            serve(c, k);
        } else if (k.attachment() instanceof TapListener l) {
            accept(l);
        }
    }

    private void serve(TapConnection c, SelectionKey k) {
        if (c.state() == TapConnection.State.CONNECTING) {
            try {
                c.finishConnect();
            } catch (IOException | RuntimeException e) {
                upstreamFailed(c, reason(e));
            }
            return;
        }
        c.serveIn(k, io);
    }

    private void accept(TapListener l) {
        for (int i = 0; i < ACCEPTS_PER_TURN; i++) {
            SocketChannel ch;
            try {
                ch = l.channel().accept();
            } catch (IOException e) {
                // e.g. out of file descriptors: the listener stays ready, so without a pause the loop would spin
                String kind = "cannot accept a connection on " + l.bound() + ": " + reason(e);
                notices.report(l.bound(), null, NoticeEvent.Level.ERROR, kind, kind);
                l.channel().keyFor(selector).interestOps(0);
                acceptPaused.add(l);
                acceptAgainAt = System.nanoTime() + ACCEPT_PAUSE_NANOS;
                return;
            }
            if (ch == null) {
                return;
            }
            if (open.size() >= settings.maxConnections()) {
                refuse(l, ch);
            } else {
                start(l, ch);
            }
        }
    }

    private void refuse(TapListener l, SocketChannel ch) {
        counters.refused.increment();
        String peer = NetAddress.describePeer(ch);
        Channels.close(ch, true);
        String why = open.size() + " connections open, the most allowed";
        notices.report(l.bound(), null, NoticeEvent.Level.WARNING, "refused a connection: " + why,
                "refused the connection from " + peer + ": " + why);
    }

    /** Starts forwarding a new client: connects upstream without waiting for the connect to finish. */
    private void start(TapListener l, SocketChannel client) {
        long now = System.nanoTime();
        String id = "c" + nextId++;
        ConnectionDissector d = dissector.connection(l.bound(), id, NetAddress.describePeer(client), l.upstreamText());
        counters.connections.increment();
        SocketChannel up = null;
        TapConnection c = null;
        try {
            client.configureBlocking(false);
            up = l.route().upstream().openChannel();
            up.configureBlocking(false);
            c = new TapConnection(l, client, up, d, decoding, counters, now, this::closed, decryption);
            SocketAddress address = l.upstreamAddress(now);
            if (address instanceof InetSocketAddress a && a.isUnresolved()) {
                throw new UnknownHostException("unknown host " + a.getHostString());
            }
            boolean connected = up.connect(address);
            open.add(c);
            counters.active.increment();
            c.registerIn(selector, out, connected);
            if (!connected && settings.connectTimeoutNanos() > 0) {
                connecting.add(c);
            }
        } catch (IOException | RuntimeException e) {
            l.connectFailed();
            if (c != null) {
                c.close(true, TapConnection.Ending.SILENT);
            }
            Channels.close(up, true);
            Channels.close(client, true);
            reportUpstreamFailure(d, l.route().upstream(), reason(e));
            return;
        }
        if (settings.handshakeTimeoutNanos() > 0) {
            handshaking.add(c);
        }
    }

    private void upstreamFailed(TapConnection c, String why) {
        c.listener.connectFailed();
        c.close(true, TapConnection.Ending.SILENT);
        reportUpstreamFailure(c.dissector(), c.listener.route().upstream(), why);
    }

    private void reportUpstreamFailure(ConnectionDissector c, NetAddress upstream, String why) {
        counters.upstreamFailures.increment();
        String target = "cannot connect to upstream " + upstream + ": " + why;
        notices.report(c.source(), c.conn(), NoticeEvent.Level.ERROR, target + "; closed the client",
                target + "; closed client " + c.client());
    }

    /** Bookkeeping when {@code c} has closed, on whichever thread closed it. */
    private void closed(TapConnection c) {
        if (open.remove(c)) {
            counters.active.decrement();
        }
        wakeup(); // lets go of its channels now, if another thread closed them
    }

    /** Work that needs no input: deadlines, paused listeners, notice summaries. Looks only at queue heads. */
    @Override
    protected void chores() {
        long now = System.nanoTime();
        prune(connecting, c -> c.state() != TapConnection.State.CONNECTING);
        prune(handshaking, c -> c.state() == TapConnection.State.CLOSED || c.dissector().handshakeOver());
        for (TapConnection c; (c = connecting.peek()) != null; connecting.poll()) {
            if (c.state() == TapConnection.State.CONNECTING) {
                if (now - c.acceptedAt < settings.connectTimeoutNanos()) {
                    break;
                }
                upstreamFailed(c, "timed out");
            }
        }
        for (TapConnection c; (c = handshaking.peek()) != null; handshaking.poll()) {
            if (c.state() != TapConnection.State.CLOSED && !c.dissector().handshakeOver()) {
                if (now - c.acceptedAt < settings.handshakeTimeoutNanos()) {
                    break;
                }
                dropWithoutHandshake(c);
            }
        }
        if (!acceptPaused.isEmpty() && now - acceptAgainAt >= 0) {
            for (TapListener l : acceptPaused) {
                l.channel().keyFor(selector).interestOps(SelectionKey.OP_ACCEPT);
            }
            acceptPaused.clear();
        }
        notices.tick();
    }

    /**
     * Takes out the connections a deadline queue no longer needs to watch, once it holds more of
     * them than there are open connections: under heavy churn, short-lived connections would
     * otherwise stay referenced until their deadline (30 s of them). Amortised O(1) per connection.
     */
    private void prune(ArrayDeque<TapConnection> queue, Predicate<TapConnection> done) {
        if (queue.size() > 2 * open.size() + 64) {
            queue.removeIf(done);
        }
    }

    private void dropWithoutHandshake(TapConnection c) {
        counters.handshakeTimeouts.increment();
        c.close(true, TapConnection.Ending.DROPPED);
        String why = "no ZMTP handshake within " + describe(settings.handshakeTimeoutNanos());
        notices.report(c.dissector().source(), c.dissector().conn(), NoticeEvent.Level.WARNING,
                "dropped a connection: " + why, "dropped the connection from " + c.dissector().client() + ": " + why);
    }

    /** Until the next deadline at a queue head, at most {@link #MAX_SLEEP_MILLIS}; never 0 (select(0) sleeps for ever). */
    @Override
    protected long sleepMillis() {
        long now = System.nanoTime();
        long nanos = MAX_SLEEP_MILLIS * 1_000_000L;
        TapConnection c = connecting.peek();
        if (c != null) {
            nanos = Math.min(nanos, c.acceptedAt + settings.connectTimeoutNanos() - now);
        }
        c = handshaking.peek();
        if (c != null) {
            nanos = Math.min(nanos, c.acceptedAt + settings.handshakeTimeoutNanos() - now);
        }
        if (!acceptPaused.isEmpty()) {
            nanos = Math.min(nanos, acceptAgainAt - now);
        }
        return Math.max(1, nanos / 1_000_000 + 1);
    }

    /** Resets every open connection (each reports {@code CLOSED}) and stops listening. */
    @Override
    protected void stopping() {
        for (TapConnection c : List.copyOf(open)) {
            c.close(true, TapConnection.Ending.CLOSED);
        }
        for (TapListener l : listeners) {
            l.close();
        }
    }

    /** A time for people: {@code 30 s}, {@code 1.5 s}, {@code 200 ms}. */
    static String describe(long nanos) {
        if (nanos >= 1_000_000_000L) {
            double s = nanos / 1e9;
            return (s == Math.rint(s) ? String.valueOf((long) s) : String.format(Locale.ROOT, "%.1f", s)) + " s";
        }
        return Math.max(1, Math.round(nanos / 1e6)) + " ms";
    }

    /** Java's reason for a failed connect in ZeroMQ's words, e.g. {@code connection refused}. */
    static String reason(Exception e) {
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        String msg = e.getMessage();
        if (e instanceof UnknownHostException) {
            return msg != null && msg.startsWith("unknown host") ? msg : "unknown host " + msg;
        }
        return msg == null ? e.getClass().getSimpleName() : msg.toLowerCase(Locale.ROOT);
    }
}
