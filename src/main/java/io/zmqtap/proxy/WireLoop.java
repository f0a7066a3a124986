package io.zmqtap.proxy;

import io.zmqtap.endpoint.BusyPoll;
import io.zmqtap.proxy.FrameScanner.WireProtocolException;
import io.zmqtap.zmtp.ZmtpCommand;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The wire engine: a ROUTER/DEALER queue that speaks ZMTP 3 over TCP itself, on one thread, with
 * one selector, instead of going through JeroMQ's sockets.
 *
 * <p>This class does the I/O and the scheduling; {@link WireHandshake} the handshake and
 * {@link WireRouter} where each message goes.
 *
 * <p>Why: a JeroMQ proxy hands every message from an I/O thread to the proxy thread and on to an
 * I/O thread again, and on small machines those wake-ups, not the work, bound its throughput. Here
 * the thread that reads a client's bytes writes them to the server: a request gets the routing-id
 * frame put in front of its frames, which are copied as they came; a reply loses its first frame
 * and goes to the client that frame names. Messages read together are written together.
 *
 * <p>What it keeps from ZeroMQ: the NULL-mechanism handshake (READY with Socket-Type; a client's
 * Identity becomes its routing id, else a 5-byte one is made up as libzmq does), round robin over
 * the servers, reconnecting every 100 ms, PING answered with PONG. It never drops a proxied
 * message quietly: when a peer has {@link WireRouter#ROOM} bytes waiting to be written, the side feeding it
 * stops reading (TCP then slows the sender); a reply to a client that has gone is counted as
 * undeliverable. A peer that breaks the protocol (or speaks ZMTP 2, or wants PLAIN or CURVE) is
 * disconnected with a one-line notice.
 */
final class WireLoop extends Forwarder {
    private static final long RECONNECT_NANOS = 100_000_000L;
    private static final long LINGER_NANOS = 1_000_000_000L;
    /** A connection that has not finished its handshake by then is dropped (libzmq's default, too). */
    static final long HANDSHAKE_NANOS = 30_000_000_000L;
    private static final int CHORES_EVERY = 64;

    private final Selector selector;
    private final List<Dialer> dialers;
    private final CaptureWriter capture;
    private final Steering steering;
    private final BusyPoll poll;
    private final Consumer<String> notices;
    private final FrameScanner scanner;
    private final WireRouter router;
    private final ArrayDeque<WirePeer> dirty = new ArrayDeque<>();
    private final List<WirePeer> stalled = new ArrayList<>();
    private final List<WirePeer> all = new ArrayList<>();
    private final List<SelectionKey> acceptPaused = new ArrayList<>();
    private long acceptAgainAt;
    private boolean paused;
    private boolean roomAppeared;
    private int turns;

    /** Where the wire engine listens: a bound server channel and the side its peers join. */
    record Listener(ServerSocketChannel channel, WireSide side) {}

    /** Where the wire engine connects, and the connection it keeps there. */
    static final class Dialer {
        final InetSocketAddress address;
        final WireSide side;
        SocketChannel connecting;
        WirePeer peer;
        long retryAt;

        Dialer(InetSocketAddress address, WireSide side) {
            this.address = address;
            this.side = side;
        }

        /** Neither connected nor connecting: it is waiting to dial (again). */
        boolean unconnected() {
            return peer == null && connecting == null;
        }

        /** Dials again after the reconnect interval (ZeroMQ's default, 100 ms). */
        void retryLater() {
            retryAt = System.nanoTime() + RECONNECT_NANOS;
        }
    }

    WireLoop(Selector selector, WireSide frontend, WireSide backend, List<Listener> listeners, List<Dialer> dialers,
             CaptureWriter capture, Steering steering, BusyPoll poll, long maxMessage, Consumer<String> notices)
            throws IOException {
        this.selector = selector;
        this.router = new WireRouter(frontend, backend, capture, this::markDirty);
        this.dialers = dialers;
        this.capture = capture;
        this.steering = steering;
        this.poll = poll;
        this.notices = notices;
        this.scanner = new FrameScanner(maxMessage);
        for (Listener l : listeners) {
            l.channel().configureBlocking(false);
            l.channel().register(selector, SelectionKey.OP_ACCEPT, l);
        }
    }

    @Override
    public void run() {
        try {
            for (Dialer d : dialers) {
                dial(d);
            }
            boolean busy = false;
            while (running) {
                boolean ready = selector.selectNow() > 0 || (busy && poll.await(this::selectNowFinds));
                if (!ready) {
                    chores();
                    if (!running) {
                        break;
                    }
                    selector.select(idleMillis());
                } else if (++turns % CHORES_EVERY == 0) {
                    chores();
                }
                busy = !selector.selectedKeys().isEmpty();
                applyPause();
                handleSelected();
                flushDirty();
                if (roomAppeared) {
                    roomAppeared = false;
                    retryStalled();
                    flushDirty();
                }
            }
        } catch (RuntimeException | Error | IOException e) {
            failure = e;
        } finally {
            running = false;
            linger();
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

    /** Work that needs no input: the control socket, capture subscriptions, reconnecting. */
    private void chores() {
        if (steering != null) {
            steering.serve(this);
        }
        capture.drainSubscriptions();
        long now = System.nanoTime();
        for (Dialer d : dialers) {
            if (d.unconnected() && now - d.retryAt >= 0) {
                dial(d);
            }
        }
        if (!acceptPaused.isEmpty() && now - acceptAgainAt >= 0) {
            for (SelectionKey k : acceptPaused) {
                if (k.isValid()) {
                    k.interestOps(SelectionKey.OP_ACCEPT);
                }
            }
            acceptPaused.clear();
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            WirePeer p = all.get(i);
            if (p.state != WirePeer.State.READY && now - p.openedAt > HANDSHAKE_NANOS) {
                close(p, "no handshake within " + HANDSHAKE_NANOS / 1_000_000_000L + " s");
            }
        }
    }

    private long idleMillis() {
        long ms = steering != null || capture.enabled() ? 10 : 100;
        long now = System.nanoTime();
        for (Dialer d : dialers) {
            if (d.unconnected()) {
                ms = Math.min(ms, Math.max(1, (d.retryAt - now) / 1_000_000));
            }
        }
        return ms;
    }

    private void applyPause() {
        boolean want = pauseRequested;
        if (want == paused) {
            return;
        }
        paused = want;
        for (WirePeer p : List.copyOf(all)) {
            if (!paused && p.state == WirePeer.State.READY) {
                process(p); // what was read before the pause
            }
            updateInterest(p);
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
            Object a = k.attachment();
            if (a instanceof WirePeer p) {
                if (k.isWritable()) {
                    flush(p);
                }
                if (k.isValid() && k.isReadable()) {
                    read(p);
                }
            } else if (a instanceof Listener l) {
                accept(l);
            } else if (a instanceof Dialer d) {
                finishConnect(d, k);
            }
        }
    }

    private void accept(Listener l) {
        while (true) {
            SocketChannel ch;
            try {
                ch = l.channel().accept();
            } catch (IOException e) {
                // e.g. out of file descriptors: the listener stays ready, so without a pause the
                // loop would spin and repeat this notice; listen again after the reconnect interval
                notices.accept(l.side().role + ": cannot accept a connection: " + e.getMessage());
                SelectionKey key = l.channel().keyFor(selector);
                key.interestOps(0);
                acceptAgainAt = System.nanoTime() + RECONNECT_NANOS;
                acceptPaused.add(key);
                return;
            }
            if (ch == null) {
                return;
            }
            try {
                open(l.side(), ch, null, null);
            } catch (IOException e) {
                closeQuietly(ch);
            }
        }
    }

    private void dial(Dialer d) {
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open();
            ch.configureBlocking(false); // open() sets the rest up once connected
            if (ch.connect(d.address)) {
                d.peer = open(d.side, ch, null, d);
            } else {
                d.connecting = ch;
                ch.register(selector, SelectionKey.OP_CONNECT, d);
            }
        } catch (IOException e) {
            closeQuietly(ch);
            d.retryLater();
        }
    }

    private void finishConnect(Dialer d, SelectionKey k) {
        SocketChannel ch = d.connecting;
        try {
            if (!ch.finishConnect()) {
                return; // not yet: the selector says so again when it is
            }
            d.connecting = null;
            d.peer = open(d.side, ch, k, d);
        } catch (IOException e) {
            // refused or unreachable: the server is not up yet; ZeroMQ retries every 100 ms too
            k.cancel();
            closeQuietly(ch);
            d.connecting = null;
            d.retryLater();
        }
    }

    /** Starts the handshake on a fresh connection (see {@link WireHandshake#greeting}). */
    private WirePeer open(WireSide side, SocketChannel ch, SelectionKey key, Dialer dialer) throws IOException {
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        WirePeer p = new WirePeer(side, ch, dialer);
        if (key == null) {
            p.key = ch.register(selector, SelectionKey.OP_READ, p);
        } else {
            key.attach(p);
            p.key = key;
        }
        all.add(p);
        WireHandshake.signature(p);
        markDirty(p);
        updateInterest(p);
        return p;
    }

    private void read(WirePeer p) {
        int n;
        try {
            n = p.read();
        } catch (IOException e) {
            close(p, null);
            return;
        }
        if (n < 0) {
            if (paused && p.state == WirePeer.State.READY && p.in.position() > 0) {
                // Read while paused (see updateInterest): what it sent before closing is held, as
                // the kernel held it before; forwarded on resume, then the connection is closed.
                p.eof = true;
                updateInterest(p);
                return;
            }
            close(p, null);
            return;
        }
        process(p);
    }

    /** Handles what {@code p} has sent, as far as it can go now. */
    private void process(WirePeer p) {
        if (!paused) {
            p.heldScanned = 0;
        }
        ByteBuffer in = p.in.flip();
        try {
            while (p.state != WirePeer.State.CLOSED && in.hasRemaining()) {
                if (p.state == WirePeer.State.GREETING) {
                    if (!WireHandshake.greeting(p, in)) {
                        break;
                    }
                } else if (!scanner.scan(in, in.position(), in.limit())) {
                    p.ensureInCapacity(scanner.needed());
                    in = p.in;
                    break;
                } else if (scanner.command()) {
                    ZmtpCommand.Ready ready = WireHandshake.command(p, in, scanner.start(), scanner.end());
                    if (ready != null) {
                        router.join(p, ready);
                        roomAppeared |= !p.side.isFrontend(); // clients that waited for a server can go on
                    }
                    in.position(scanner.end());
                } else if (p.state != WirePeer.State.READY) {
                    throw new WireProtocolException("a message before the handshake finished");
                } else if (paused) {
                    answerCommandsBehind(p, in); // a PING behind held messages still gets its PONG
                    break; // stays in the buffer until resumed
                } else if (!router.forward(p, in, scanner)) {
                    stall(p); // stays in the buffer until there is room
                    break;
                } else {
                    in.position(scanner.end());
                }
            }
        } catch (WireProtocolException e) {
            close(p, e.getMessage());
        }
        if (p.state != WirePeer.State.CLOSED) {
            p.compactIn();
            if (p.hasOutput()) {
                markDirty(p); // our greeting, READY or a PONG
            }
            if (p.eof && !paused && !p.stalled) {
                close(p, null); // it closed while paused; all it sent has gone (a partial message cannot)
                return;
            }
            updateInterest(p);
        }
    }

    /**
     * While paused, with the message at {@code in}'s position held: answers the commands that came
     * after it and takes them out of the buffer (moving the held bytes up over them). Without this a
     * paused queue left heartbeating peers' PINGs unanswered, and libzmq or JeroMQ peers with
     * ZMQ_HEARTBEAT_TIMEOUT dropped their connections (and their requests) during any longer pause,
     * where the JeroMQ engine's I/O threads go on answering them. Never grows the buffer: when it is
     * full, reading stops.
     */
    private void answerCommandsBehind(WirePeer p, ByteBuffer in) throws WireProtocolException {
        int at = Math.max(scanner.end(), in.position() + p.heldScanned);
        while (at < in.limit() && scanner.scan(in, at, in.limit())) {
            if (scanner.command()) {
                WireHandshake.command(p, in, scanner.start(), scanner.end()); // READY already: never a join
                int length = scanner.end() - scanner.start();
                byte[] a = in.array();
                int from = in.arrayOffset() + in.position();
                System.arraycopy(a, from, a, from + length, scanner.start() - in.position());
                in.position(in.position() + length);
            }
            at = scanner.end();
        }
        p.heldScanned = at - in.position();
    }

    private void stall(WirePeer p) {
        if (!p.stalled) {
            p.stalled = true;
            stalled.add(p);
        }
    }

    private void retryStalled() {
        if (stalled.isEmpty()) {
            return;
        }
        List<WirePeer> waiting = List.copyOf(stalled);
        stalled.clear();
        for (WirePeer p : waiting) {
            p.stalled = false;
            if (p.state != WirePeer.State.CLOSED) {
                process(p);
            }
        }
    }

    private void markDirty(WirePeer p) {
        if (!p.dirty) {
            p.dirty = true;
            dirty.add(p);
        }
    }

    private void flushDirty() {
        WirePeer p;
        while ((p = dirty.poll()) != null) {
            p.dirty = false;
            if (p.state != WirePeer.State.CLOSED) {
                flush(p);
            }
        }
    }

    private void flush(WirePeer p) {
        boolean wasFull = p.unsent() >= WireRouter.ROOM;
        try {
            p.flush();
        } catch (IOException e) {
            close(p, null);
            return;
        }
        if (wasFull && p.unsent() < WireRouter.ROOM) {
            roomAppeared = true;
        }
        updateInterest(p);
    }

    private void updateInterest(WirePeer p) {
        if (p.state == WirePeer.State.CLOSED || !p.key.isValid()) {
            return;
        }
        // Paused, it still reads while the buffer has room (commands are answered, messages held);
        // a stalled peer is not read: that is what slows its sender.
        boolean reading = !p.eof && (p.state != WirePeer.State.READY || !p.stalled);
        int ops = (reading && p.in.hasRemaining() ? SelectionKey.OP_READ : 0)
                | (p.hasOutput() ? SelectionKey.OP_WRITE : 0);
        if (p.key.interestOps() != ops) {
            p.key.interestOps(ops);
        }
    }

    /** Closes a connection; {@code reason} names a protocol problem, {@code null} an ordinary close. */
    private void close(WirePeer p, String reason) {
        if (p.state == WirePeer.State.CLOSED) {
            return;
        }
        p.state = WirePeer.State.CLOSED;
        p.key.cancel();
        closeQuietly(p.channel);
        all.remove(p);
        stalled.remove(p);
        if (!stalled.isEmpty()) {
            // Someone may have waited for this peer: a server for room at this client, or a client
            // for room at this server. Without a retry a server stalled on a client that then left
            // was never read again, and every other client's replies stopped behind it.
            roomAppeared = true;
        }
        router.leave(p);
        if (p.dialer != null) {
            p.dialer.peer = null;
            p.dialer.retryLater();
        }
        if (reason != null) {
            notices.accept(p.side.role + ": dropped the connection " + (p.dialer != null ? "to " : "from ")
                    + p.remote + ": " + reason);
        }
    }

    /** Gives unsent output up to a second to leave, as ZeroMQ's linger does. */
    private void linger() {
        long deadline = System.nanoTime() + LINGER_NANOS;
        try {
            // only pending writes may wake the select below: unread input would make it spin
            for (SelectionKey k : selector.keys()) {
                if (k.isValid()) {
                    k.interestOps(k.attachment() instanceof WirePeer p && p.hasOutput() ? SelectionKey.OP_WRITE : 0);
                }
            }
            while (System.nanoTime() - deadline < 0) {
                boolean pending = false;
                for (WirePeer p : List.copyOf(all)) {
                    if (p.state == WirePeer.State.READY && p.hasOutput()) {
                        try {
                            p.flush(); // not flush(p): that would ask for input again
                        } catch (IOException e) {
                            close(p, null);
                            continue;
                        }
                        pending |= p.hasOutput();
                        p.key.interestOps(p.hasOutput() ? SelectionKey.OP_WRITE : 0);
                    }
                }
                if (!pending) {
                    return;
                }
                selector.select(10);
                selector.selectedKeys().clear();
            }
        } catch (IOException | RuntimeException e) {
            // closing anyway
        }
    }

    private void closeAll() {
        for (WirePeer p : List.copyOf(all)) {
            close(p, null);
        }
        for (Dialer d : dialers) {
            closeQuietly(d.connecting);
        }
        for (SelectionKey k : selector.keys()) {
            if (k.attachment() instanceof Listener l) {
                closeQuietly(l.channel());
            }
        }
        closeQuietly(selector);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            // nothing more to do
        }
    }







    @Override
    protected void wake() {
        selector.wakeup();
    }

    @Override
    int captureSubscriptions() {
        return capture.subscribedTopics();
    }

    @Override
    Map<String, SocketStatistics> peerStatistics() {
        return router.peerStatistics();
    }

    @Override
    ProxyStatistics statistics() {
        return router.statistics();
    }
}
