package io.zmqtap.proxy;

import io.zmqtap.zmtp.FrameScanner;
import io.zmqtap.endpoint.Closing;
import io.zmqtap.endpoint.BusyPoll;
import io.zmqtap.endpoint.NetAddress;
import io.zmqtap.endpoint.Notices;
import io.zmqtap.zmtp.FrameScanner.WireProtocolException;
import io.zmqtap.zmtp.ZmtpCommand;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * zmqtap's own ZMTP 3 peers on one thread with one selector: it accepts and dials connections
 * (TCP or ipc), does the handshake ({@link WireHandshake}), and hands each peer's messages to its
 * side's {@link WireTraffic} — the queue's router, or the capture publisher — then writes what they
 * produced. This class does the I/O, the scheduling and the limits; it knows nothing of routing.
 *
 * <p>Why its own ZMTP: a JeroMQ proxy hands every message from an I/O thread to the proxy thread
 * and on to an I/O thread again, and on small machines those wake-ups, not the work, bound its
 * throughput. Here the thread that reads a client's bytes writes them to the server, and to the
 * capture's subscribers, in the same turn.
 *
 * <p>Limits, each enforced with a one-line notice (repeats summed up by {@link Notices}):
 * <ul>
 *   <li>Memory: buffers grow only with bytes that arrived (see {@link WirePeer}); all buffers
 *   together are charged to a {@link WireMemory} budget, and past it the connections holding the
 *   most are dropped, after idle buffers were given back.</li>
 *   <li>A message over {@code maxMessage}, or a command over 64 KiB, is refused when announced.</li>
 *   <li>At most {@code maxConnections} accepted connections; a connection without a finished
 *   handshake after {@code handshakeNanos} is dropped.</li>
 *   <li>Backpressure, never loss: a peer whose message cannot be taken (see
 *   {@link WireTraffic#message}) is not read until there is room, so TCP slows its sender.</li>
 * </ul>
 * Replies come first: in a turn, servers are read before clients, so their replies leave before
 * more requests are admitted.
 */
final class WireLoop implements Runnable {
    private static final int CHORES_EVERY = 64;

    /** What runs a loop: whether it should go on, pause, and its work beside the peers. */
    interface Owner {
        boolean running();

        /** True while the pausable sides must hold their peers' messages. */
        boolean pauseRequested();

        /** Work that needs no input (the control socket, a capture hand-off); when idle and every few turns. */
        void chores();

        /** How long an idle loop may sleep before its chores are due again. */
        long idleMillis();

        /** Work after every turn (e.g. publishing what was handed over); nothing by default. */
        default void afterTurn() {}
    }

    /** Where a loop listens: a bound channel, the side its peers join, and its address (to clean up). */
    record Listener(ServerSocketChannel channel, WireSide side, NetAddress address) {}

    /** A loop's limits and where it reports. */
    record Settings(BusyPoll poll, long maxMessage, long handshakeNanos, int maxConnections, WireMemory memory,
                    Notices notices) {}

    private final Selector selector;
    private final List<Listener> listeners;
    private final List<WireDialer> dialers;
    private final Owner owner;
    private final Settings settings;
    private final FrameScanner scanner;
    private final FrameScanner handshakeScanner = new FrameScanner(FrameScanner.DEFAULT_MAX_COMMAND);
    private final WirePeers peers;
    private final List<WirePeer> clientsToRead = new ArrayList<>();
    private final List<SelectionKey> acceptPaused = new ArrayList<>();
    private long acceptAgainAt;
    private boolean paused;
    private int turns;

    WireLoop(Selector selector, List<Listener> listeners, List<WireDialer> dialers, Owner owner, Settings settings)
            throws IOException {
        this.selector = selector;
        this.listeners = listeners;
        this.dialers = dialers;
        this.owner = owner;
        this.settings = settings;
        this.scanner = new FrameScanner(settings.maxMessage());
        this.peers = new WirePeers(settings.memory(), settings.notices());
        for (Listener l : listeners) {
            l.channel().configureBlocking(false);
            l.channel().register(selector, SelectionKey.OP_ACCEPT, l);
        }
    }

    @Override
    public void run() {
        try {
            for (WireDialer d : dialers) {
                dial(d);
            }
            boolean busy = false;
            while (owner.running()) {
                boolean ready = selector.selectNow() > 0 || (busy && settings.poll().await(this::selectNowFinds));
                if (!ready) {
                    chores();
                    if (!owner.running()) {
                        break;
                    }
                    peers.flushLater(true); // nothing else to do: what waited goes now
                    selector.select(idleMillis());
                } else if (++turns % CHORES_EVERY == 0) {
                    chores();
                }
                busy = !selector.selectedKeys().isEmpty();
                applyPause();
                handleSelected();
                afterTurn();
            }
        } catch (IOException e) {
            throw new IllegalStateException("selector failed: " + e.getMessage(), e);
        } finally {
            peers.stop();
            peers.linger(selector);
            closeAll();
        }
    }

    /** Its peers: the traffic handlers write to them and hold or release their reading through this. */
    WirePeers peers() {
        return peers;
    }

    /** Writes what the turn produced, retries peers that waited for room, keeps memory within budget. */
    private void afterTurn() {
        owner.afterTurn();
        peers.flushDirty();
        peers.flushLater(false);
        if (peers.takeRoom()) {
            peers.retryStalled(this::process);
            peers.flushDirty();
        }
        if (settings.memory().over()) {
            peers.shed();
        }
    }

    private boolean selectNowFinds() {
        try {
            return selector.selectNow() > 0;
        } catch (IOException e) {
            throw new IllegalStateException("selector failed: " + e.getMessage(), e);
        }
    }

    /** Makes a sleeping loop look at its owner's state now. */
    void wake() {
        selector.wakeup();
    }

    /** Work that needs no input: the owner's, reconnecting, listening again, overdue handshakes. */
    private void chores() {
        owner.chores();
        settings.notices().tick();
        long now = System.nanoTime();
        for (WireDialer d : dialers) {
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
        for (WirePeer p : peers.snapshot()) {
            long limit = settings.handshakeNanos();
            if (p.state != WirePeer.State.READY && limit > 0 && now - p.openedAt > limit) {
                peers.close(p, "no handshake within " + seconds(settings.handshakeNanos()));
            } else if (WireHandshake.greetingOverdue(p, now)) {
                WireHandshake.sendRest(p); // a peer that waits for all of ours before sending its own
                peers.markDirty(p);
            }
        }
        peers.flushDirty();
    }

    private long idleMillis() {
        long ms = owner.idleMillis();
        long now = System.nanoTime();
        for (WireDialer d : dialers) {
            if (d.unconnected()) {
                ms = Math.min(ms, Math.max(1, (d.retryAt - now) / 1_000_000));
            }
        }
        return ms;
    }

    private void applyPause() {
        boolean want = owner.pauseRequested();
        if (want == paused) {
            return;
        }
        paused = want;
        for (WirePeer p : peers.snapshot()) {
            if (!p.side.pausable) {
                continue;
            }
            if (!paused && p.state == WirePeer.State.READY) {
                process(p); // what was read before the pause
            }
            peers.updateInterest(p);
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
                    peers.flush(p);
                }
                if (k.isValid() && k.isReadable()) {
                    if (p.side.isFrontend()) {
                        clientsToRead.add(p); // after the servers: replies leave before more requests come in
                    } else {
                        read(p);
                    }
                }
            } else if (a instanceof Listener l) {
                accept(l);
            } else if (a instanceof WireDialer d) {
                finishConnect(d, k);
            }
        }
        for (WirePeer p : clientsToRead) {
            if (p.state != WirePeer.State.CLOSED && !p.side.traffic.holdsReading(p)) {
                read(p);
            }
        }
        clientsToRead.clear();
    }

    private void accept(Listener l) {
        while (true) {
            SocketChannel ch;
            try {
                ch = l.channel().accept();
            } catch (IOException e) {
                // e.g. out of file descriptors: the listener stays ready, so without a pause the
                // loop would spin and repeat this notice; listen again after the reconnect interval
                settings.notices().report(l.side().role + ": cannot accept connections", l.side().role
                        + ": cannot accept a connection: " + e.getMessage());
                SelectionKey key = l.channel().keyFor(selector);
                key.interestOps(0);
                acceptAgainAt = System.nanoTime() + WireDialer.RECONNECT_NANOS;
                acceptPaused.add(key);
                return;
            }
            if (ch == null) {
                return;
            }
            if (peers.accepted() >= settings.maxConnections()) {
                String from = NetAddress.describePeer(ch);
                Closing.quietly(ch);
                settings.notices().report(l.side().role + ": refused connections over the limit of " + settings.maxConnections()
                        + " (--max-connections)", l.side().role + ": refused the connection from " + from + ": "
                        + settings.maxConnections() + " connections already (--max-connections)");
                continue;
            }
            try {
                open(l.side(), ch, null, null);
            } catch (IOException e) {
                Closing.quietly(ch);
            }
        }
    }

    private void dial(WireDialer d) {
        SocketChannel ch = null;
        try {
            ch = d.address.openChannel();
            ch.configureBlocking(false); // open() sets the rest up once connected
            if (ch.connect(d.address.socketAddress())) {
                d.peer = open(d.side, ch, null, d);
            } else {
                d.connecting = ch;
                ch.register(selector, SelectionKey.OP_CONNECT, d);
            }
        } catch (IOException | RuntimeException e) {
            Closing.quietly(ch);
            d.retryLater();
        }
    }

    private void finishConnect(WireDialer d, SelectionKey k) {
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
            Closing.quietly(ch);
            d.connecting = null;
            d.retryLater();
        }
    }

    /** Starts the handshake on a fresh connection (see {@link WireHandshake#greeting}). */
    private WirePeer open(WireSide side, SocketChannel ch, SelectionKey key, WireDialer dialer) throws IOException {
        ch.configureBlocking(false);
        NetAddress.configure(ch);
        WirePeer p = new WirePeer(side, ch, dialer, settings.memory());
        if (key == null) {
            p.key = ch.register(selector, SelectionKey.OP_READ, p);
        } else {
            key.attach(p);
            p.key = key;
        }
        peers.add(p);
        WireHandshake.signature(p);
        peers.markDirty(p);
        peers.updateInterest(p);
        return p;
    }

    private void read(WirePeer p) {
        int n;
        try {
            n = p.read();
        } catch (IOException e) {
            peers.close(p, null);
            return;
        }
        if (n < 0) {
            if (paused && p.side.pausable && p.state == WirePeer.State.READY && p.in.position() > 0) {
                // Read while paused (see WirePeers.updateInterest): what it sent before closing is
                // held, as the kernel held it before; forwarded on resume, then the connection is closed.
                p.eof = true;
                peers.updateInterest(p);
                return;
            }
            peers.close(p, null);
            return;
        }
        process(p);
    }

    /** Handles what {@code p} has sent, as far as it can go now. */
    private void process(WirePeer p) {
        boolean holding = paused && p.side.pausable;
        if (!holding) {
            p.heldScanned = 0;
        }
        long needed = 0;
        ByteBuffer in = p.in.flip();
        try {
            while (p.state != WirePeer.State.CLOSED && in.hasRemaining()) {
                FrameScanner s = p.state == WirePeer.State.READY ? scanner : handshakeScanner;
                if (p.state == WirePeer.State.GREETING) {
                    if (!WireHandshake.greeting(p, in)) {
                        break;
                    }
                } else if (!s.scan(in, in.position(), in.limit())) {
                    needed = s.needed();
                    break;
                } else if (s.command()) {
                    ZmtpCommand.Ready ready = WireHandshake.command(p, in, s.start(), s.end());
                    if (ready != null) {
                        p.side.traffic.joined(p, ready);
                        p.state = WirePeer.State.READY;
                        peers.noteRoom(); // e.g. clients that waited for a server can go on
                    }
                    in.position(s.end());
                } else if (p.state != WirePeer.State.READY) {
                    throw new WireProtocolException("a message before the handshake finished");
                } else if (holding) {
                    answerCommandsBehind(p, in); // a PING behind held messages still gets its PONG
                    break; // stays in the buffer until resumed
                } else if (!p.side.traffic.message(p, in, s)) {
                    peers.stall(p); // stays in the buffer until there is room
                    break;
                } else {
                    in.position(s.end());
                }
            }
        } catch (WireProtocolException e) {
            peers.close(p, e.getMessage());
        }
        if (p.state != WirePeer.State.CLOSED) {
            p.compactIn();
            p.makeRoomFor(needed);
            if (p.hasOutput()) {
                peers.markDirty(p); // our greeting, READY or a PONG
            }
            if (p.eof && !paused && !p.stalled) {
                peers.close(p, null); // it closed while paused; all it sent has gone (a partial message cannot)
                return;
            }
            peers.updateInterest(p);
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
                WireHandshake.command(p, in, scanner.start(), scanner.end());
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

    private void closeAll() {
        peers.closeAll();
        for (WireDialer d : dialers) {
            Closing.quietly(d.connecting);
        }
        for (Listener l : listeners) {
            Closing.quietly(l.channel());
            l.address().unlisten();
        }
        Closing.quietly(selector);
        settings.notices().flush();
    }

    private static String seconds(long nanos) {
        long ms = nanos / 1_000_000;
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }
}
