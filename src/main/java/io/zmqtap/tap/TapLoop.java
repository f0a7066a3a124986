package io.zmqtap.tap;

import io.zmqtap.capture.CaptureEvent;
import io.zmqtap.capture.NoticeEvent;
import io.zmqtap.endpoint.BusyPoll;
import io.zmqtap.endpoint.NetAddress;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The tap's one forwarding thread: a selector over every listener, client and upstream socket.
 *
 * <p>Why one thread for everything: the work per byte is a read, a write and a copy, small next
 * to what the peers and the kernel do (decoding the copy is {@link Decoding}'s thread's job); the
 * thread count (and memory) must not grow with the connections; and on the small machines zmqtap
 * is measured on (2 CPUs) more forwarding threads would only compete with the peers they serve.
 * Serving every connection from one thread also keeps its chunks in the order they were
 * forwarded, which is causal order. Fairness: each ready socket gets one read of at most
 * {@link Flow#CHUNK} bytes per turn.
 *
 * <p>Accepting, upstream connects (non-blocking: a slow or failing upstream holds up no one), the
 * connection limit, the connect and handshake deadlines and the notices all live here; the bytes
 * of one connection are {@link TapConnection}'s job. Before sleeping in {@code select()} after
 * traffic, the loop busy-polls with {@code selectNow()} for a short spell ({@link BusyPoll}): under
 * steady traffic that saves a thread wake-up per hop.
 *
 * <p>Usage: {@code TapLoop loop = new TapLoop(listeners, settings, queue::offer, counters, notices, decoding); loop.start(); ... loop.stop();}
 */
final class TapLoop {
    /** How long accepting pauses after it failed (e.g. out of file descriptors), as ZeroMQ's reconnect interval. */
    private static final long ACCEPT_PAUSE_NANOS = 100_000_000L;
    /** Connections taken from one listener per turn, so that a flood of connects does not starve traffic. */
    private static final int ACCEPTS_PER_TURN = 64;
    private static final int CHORES_EVERY = 64;
    /** The longest sleep: notices' summaries and paused listeners are looked at least this often. */
    private static final long MAX_SLEEP_MILLIS = 1_000;

    /** What the loop needs to know beside its sockets; see {@link WireTap.Builder}. */
    record Settings(int maxConnections, long connectTimeoutNanos, long handshakeTimeoutNanos, int maxFrame,
            BusyPoll busyPoll) {}

    private final Selector selector;
    private final List<TapListener> listeners;
    private final Settings settings;
    private final Consumer<CaptureEvent> events;
    private final TapCounters counters;
    private final TapNotices notices;
    private final Decoding decoding;
    private final Set<TapConnection> open = new LinkedHashSet<>();
    /** In accept order, so in deadline order: the heads are the only ones to look at. */
    private final ArrayDeque<TapConnection> connecting = new ArrayDeque<>();
    private final ArrayDeque<TapConnection> handshaking = new ArrayDeque<>();
    private final List<TapListener> acceptPaused = new ArrayList<>();
    /** Shared by every connection (see {@link Flow}): an idle connection holds no buffer. */
    private final ByteBuffer io = ByteBuffer.allocateDirect(Flow.CHUNK);
    private final Thread thread;
    private long acceptAgainAt;
    private long nextId = 1;
    private int turns;
    private volatile boolean running = true;

    /** Registers the listeners (bound already) with a new selector; {@link #start()} starts the thread. */
    TapLoop(List<TapListener> listeners, Settings settings, Consumer<CaptureEvent> events, TapCounters counters,
            TapNotices notices, Decoding decoding) throws IOException {
        this.selector = Selector.open();
        this.decoding = decoding;
        this.listeners = listeners;
        this.settings = settings;
        this.events = events;
        this.counters = counters;
        this.notices = notices;
        try {
            for (TapListener l : listeners) {
                l.channel().configureBlocking(false);
                l.channel().register(selector, SelectionKey.OP_ACCEPT, l);
            }
        } catch (IOException | RuntimeException e) {
            Channels.closeQuietly(selector);
            throw e;
        }
        this.thread = new Thread(this::run, "zmqtap-tap");
        this.thread.setDaemon(true); // never keeps a JVM alive; WireTap.close() stops it explicitly
    }

    void start() {
        thread.start();
    }

    /** Stops the loop, resets every open connection (each reports {@code CLOSED}) and waits for the thread. */
    void stop() throws InterruptedException {
        running = false;
        selector.wakeup();
        thread.join(10_000);
    }

    private void run() {
        try {
            BusyPoll poll = settings.busyPoll();
            boolean busy = false;
            while (running) {
                boolean ready = selector.selectNow() > 0 || (busy && poll.await(this::selectNowFinds));
                if (!ready) {
                    chores();
                    selector.select(sleepMillis());
                } else if (++turns % CHORES_EVERY == 0) {
                    chores();
                }
                busy = !selector.selectedKeys().isEmpty();
                if (decoding.full()) {
                    decoding.awaitRoom(); // forward no faster than decoding keeps up, buffering little
                }
                handleSelected();
            }
        } catch (IOException | RuntimeException | Error e) {
            // a bug (one connection's failures are handled in serve): say so now, not at close
            events.accept(new NoticeEvent(Instant.now(), "tap", NoticeEvent.Level.ERROR,
                    "the tap stopped forwarding: " + e));
        } finally {
            closeAll();
        }
    }

    private boolean selectNowFinds() {
        try {
            return selector.selectNow() > 0;
        } catch (IOException e) {
            throw new IllegalStateException("selector failed: " + e.getMessage(), e);
        }
    }

    private void handleSelected() {
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
            SelectionKey k = it.next();
            it.remove();
            if (!k.isValid()) {
                continue;
            }
            if (k.attachment() instanceof TapConnection c) {
                serve(c, k);
            } else if (k.attachment() instanceof TapListener l) {
                accept(l);
            }
        }
    }

    private void serve(TapConnection c, SelectionKey k) {
        if (c.state() == TapConnection.State.CONNECTING) {
            try {
                c.finishConnect();
            } catch (IOException e) {
                upstreamFailed(c, reason(e));
            }
            return;
        }
        try {
            c.serve(k, io);
        } catch (IOException | RuntimeException e) {
            close(c, true, TapConnection.Ending.CLOSED); // reset, refused, closed under us: tear both down
            return;
        }
        if (c.finished()) {
            close(c, false, TapConnection.Ending.CLOSED);
        }
    }

    private void accept(TapListener l) {
        for (int i = 0; i < ACCEPTS_PER_TURN; i++) {
            SocketChannel ch;
            try {
                ch = l.channel().accept();
            } catch (IOException e) {
                // e.g. out of file descriptors: the listener stays ready, so without a pause the loop would spin
                String kind = "cannot accept a connection on " + l.bound() + ": " + reason(e);
                notices.report("tap", NoticeEvent.Level.ERROR, kind, kind);
                l.channel().keyFor(selector).interestOps(0);
                acceptPaused.add(l);
                acceptAgainAt = System.nanoTime() + ACCEPT_PAUSE_NANOS;
                return;
            }
            if (ch == null) {
                return;
            }
            if (open.size() >= settings.maxConnections()) {
                refuse(ch);
            } else {
                start(l, ch);
            }
        }
    }

    private void refuse(SocketChannel ch) {
        counters.refused.increment();
        String peer = NetAddress.describePeer(ch);
        Channels.close(ch, true);
        String why = open.size() + " connections open, the most allowed";
        notices.report("tap", NoticeEvent.Level.WARNING, "refused a connection: " + why,
                "refused the connection from " + peer + ": " + why);
    }

    /** Starts forwarding a new client: connects upstream without waiting for the connect to finish. */
    private void start(TapListener l, SocketChannel client) {
        long now = System.nanoTime();
        String id = "c" + nextId++;
        ConnectionEvents ev = new ConnectionEvents(id, NetAddress.describePeer(client), l.upstreamText(), events,
                counters, settings.maxFrame());
        counters.connections.increment();
        SocketChannel up = null;
        TapConnection c;
        try {
            client.configureBlocking(false);
            up = l.route().upstream().openChannel();
            up.configureBlocking(false);
            c = new TapConnection(l, client, up, ev, decoding, counters, now);
            SocketAddress address = l.upstreamAddress(now);
            if (address instanceof InetSocketAddress a && a.isUnresolved()) {
                throw new UnknownHostException("unknown host " + a.getHostString());
            }
            boolean connected = up.connect(address);
            c.register(selector, connected);
            if (!connected && settings.connectTimeoutNanos() > 0) {
                connecting.add(c);
            }
        } catch (IOException | RuntimeException e) {
            l.connectFailed();
            Channels.close(up, true);
            Channels.close(client, true);
            reportUpstreamFailure(ev, l.route().upstream(), reason(e));
            return;
        }
        open.add(c);
        counters.active.increment();
        if (settings.handshakeTimeoutNanos() > 0) {
            handshaking.add(c);
        }
    }

    private void upstreamFailed(TapConnection c, String why) {
        c.listener.connectFailed();
        close(c, true, TapConnection.Ending.SILENT);
        reportUpstreamFailure(c.events(), c.listener.route().upstream(), why);
    }

    private void reportUpstreamFailure(ConnectionEvents c, NetAddress upstream, String why) {
        counters.upstreamFailures.increment();
        String target = "cannot connect to upstream " + upstream + ": " + why;
        notices.report(c.id(), NoticeEvent.Level.ERROR, target + "; closed the client",
                target + "; closed client " + c.client());
    }

    private void close(TapConnection c, boolean reset, TapConnection.Ending ending) {
        if (c.state() == TapConnection.State.CLOSED) {
            return;
        }
        c.close(reset, ending);
        open.remove(c);
        counters.active.decrement();
    }

    /** Work that needs no input: deadlines, paused listeners, notice summaries. Looks only at queue heads. */
    private void chores() {
        long now = System.nanoTime();
        prune(connecting, c -> c.state() != TapConnection.State.CONNECTING);
        prune(handshaking, c -> c.state() == TapConnection.State.CLOSED || c.events().handshakeOver());
        for (TapConnection c; (c = connecting.peek()) != null; connecting.poll()) {
            if (c.state() == TapConnection.State.CONNECTING) {
                if (now - c.acceptedAt < settings.connectTimeoutNanos()) {
                    break;
                }
                upstreamFailed(c, "timed out");
            }
        }
        for (TapConnection c; (c = handshaking.peek()) != null; handshaking.poll()) {
            if (c.state() != TapConnection.State.CLOSED && !c.events().handshakeOver()) {
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
        close(c, true, TapConnection.Ending.DROPPED);
        String why = "no ZMTP handshake within " + describe(settings.handshakeTimeoutNanos());
        notices.report(c.events().id(), NoticeEvent.Level.WARNING, "dropped a connection: " + why,
                "dropped the connection from " + c.events().client() + ": " + why);
    }

    /** Until the next deadline at a queue head, at most {@link #MAX_SLEEP_MILLIS}; never 0 (select(0) sleeps for ever). */
    private long sleepMillis() {
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

    private void closeAll() {
        for (TapConnection c : List.copyOf(open)) {
            close(c, true, TapConnection.Ending.CLOSED);
        }
        for (TapListener l : listeners) {
            l.close();
        }
        Channels.closeQuietly(selector);
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
