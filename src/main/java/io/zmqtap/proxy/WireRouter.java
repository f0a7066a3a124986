package io.zmqtap.proxy;

import io.zmqtap.zmtp.FrameScanner;
import io.zmqtap.event.Direction;
import io.zmqtap.event.Frame;
import io.zmqtap.endpoint.Notices;
import io.zmqtap.zmtp.FrameScanner.WireProtocolException;
import io.zmqtap.event.FrameText;
import io.zmqtap.event.StatisticsEvent;
import io.zmqtap.zmtp.ZmtpCommand;
import io.zmqtap.zmtp.ZmtpEncoder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where the wire engine sends each message, as a ROUTER/DEALER queue does: a client's request goes
 * to the next server with room (round robin) with the client's routing id put in front; a server's
 * reply loses that first frame and goes to the client it names. Copies bytes from the reader's
 * buffer to the destination's, counts, and shows each message to the listeners (the capture feed
 * first). Runs on the engine's thread only; no sockets of its own (tests drive it with bytes).
 *
 * <p>Nothing is dropped quietly:
 * <ul>
 *   <li>A request waits while no server has room; a reply waits while its client has no room, and
 *   then no client is read either ({@link #holdsReading}): a server whose replies are not taken
 *   must not get more requests, or its own send queue overflows (libzmq's REP drops replies past
 *   its high-water mark without a word).</li>
 *   <li>A REP server answers each request exactly once, so the router knows what it has
 *   unanswered and sends it at most {@code maxInFlight} at a time, below libzmq's default
 *   high-water mark of 1000 (replies queued at the server past it are dropped). DEALER and ROUTER
 *   servers may answer zero or many times: they are never held back.</li>
 *   <li>A reply to a client that has gone is counted as undeliverable; requests a REP server never
 *   answered (it restarted) are counted as unanswered, per server.</li>
 * </ul>
 */
final class WireRouter implements WireTraffic {
    /** Unwritten bytes for one peer past which nothing more is forwarded to it until it drains. */
    static final int ROOM = 1 << 20;
    /**
     * Requests a REP server holds at most, by default. libzmq's pipes grant room in batches of half
     * the high-water mark (1000), so a sender may see up to 499 fewer free slots than there are:
     * with 500 unanswered, its reply queue can never seem full.
     */
    static final int DEFAULT_MAX_IN_FLIGHT = 500;

    private final WireSide frontend;
    private final WireSide backend;
    /** Who sees each forwarded message (the capture feed, listeners); null for nobody. */
    private final ForwardListener listener;
    private final WireMessage view;
    private final Notices notices;
    private final int maxInFlight;
    private final PeerCounters clientCounters = new PeerCounters();
    private final ServerCounters serverCounters = new ServerCounters();
    private final Map<ByteBuffer, WirePeer> clients = new HashMap<>();
    private final List<WirePeer> servers = new ArrayList<>();
    private final Set<WirePeer> repliesWaiting = new HashSet<>();
    private WirePeers peers;
    private int nextServer;
    private int nextRoutingId = ThreadLocalRandom.current().nextInt();
    private long sequence;
    private volatile long undeliverable;

    /**
     * @param listener who sees each forwarded message, or null for nobody
     * @param source the name messages carry as their source (the frontend endpoint)
     */
    WireRouter(WireSide frontend, WireSide backend, ForwardListener listener, String source, Notices notices,
               int maxInFlight) {
        this.frontend = frontend;
        this.backend = backend;
        this.listener = listener;
        this.view = new WireMessage(source);
        this.notices = notices;
        this.maxInFlight = maxInFlight;
        frontend.traffic = this;
        backend.traffic = this;
    }

    /** The loop's peers, to tell about new output and changed holds; set before it runs. */
    void attach(WirePeers peers) {
        this.peers = peers;
    }

    /** A peer finished its handshake: a client gets its routing id (its Identity or a made-up one). */
    @Override
    public void joined(WirePeer p, ZmtpCommand.Ready ready) throws WireProtocolException {
        if (p.side.isFrontend()) {
            byte[] id = WireHandshake.property(ready, "Identity");
            if (id.length == 0) {
                id = newRoutingId();
            }
            ByteBuffer key = ByteBuffer.wrap(id);
            if (clients.containsKey(key)) {
                throw new WireProtocolException("routing id " + FrameText.identity(Frame.of(id)) + " is already connected");
            }
            p.routingId = id;
            p.routingKey = key;
            clients.put(key, p);
        } else {
            servers.add(p);
            p.serverCounts = serverCounters.connected(p.remote);
            if (p.serverCounts.connections() > 1) { // the first connection is the expected one: no news
                notices.report("backend: server reconnected", "backend: " + p.socketType + " server " + p.remote
                        + " reconnected");
            }
        }
    }

    /** A peer's connection closed: nothing more goes to it. */
    @Override
    public void left(WirePeer p) {
        if (p.routingKey != null && clients.get(p.routingKey) == p) {
            clients.remove(p.routingKey);
        }
        if (servers.remove(p)) {
            nextServer = 0;
            int unanswered = answersOnce(p) ? p.inFlight : 0;
            serverCounters.lost(p.serverCounts, unanswered);
            if (peers.stopping()) {
                return; // the queue is closing: its own doing, no news
            }
            notices.report("backend: server lost", "backend: lost " + p.socketType + " server " + p.remote
                    + (unanswered > 0 ? ": " + unanswered + (unanswered == 1 ? " request" : " requests")
                            + " sent to it got no reply" : ""));
            if (repliesWaiting.remove(p) && repliesWaiting.isEmpty()) {
                peers.refreshReading(frontend);
            }
        }
    }

    /** libzmq's made-up routing ids: a zero byte, then a 32-bit counter. */
    private byte[] newRoutingId() {
        while (true) {
            int n = nextRoutingId++;
            byte[] id = {0, (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
            if (!clients.containsKey(ByteBuffer.wrap(id))) {
                return id; // a client may have chosen this very identity
            }
        }
    }

    @Override
    public boolean message(WirePeer from, ByteBuffer in, FrameScanner m) {
        return from.side.isFrontend() ? request(from, in, m) : reply(from, in, m);
    }

    /** Clients are not read while a server's replies wait for room: see the class comment. */
    @Override
    public boolean holdsReading(WirePeer p) {
        return p.side == frontend && !repliesWaiting.isEmpty();
    }

    private boolean request(WirePeer client, ByteBuffer in, FrameScanner m) {
        WirePeer server = nextServerWithRoom();
        if (server == null) {
            return false;
        }
        int start = m.start();
        int length = m.end() - start;
        byte[] id = client.routingId;
        long bytes = m.bytes() + id.length;
        ByteBuffer out = server.reserveOut(ZmtpEncoder.headerSize(id.length) + id.length + length);
        ZmtpEncoder.frameHeader(out, id.length, true);
        out.put(id);
        copy(in, start, length, out);
        peers.markDirty(server);
        boolean tracked = answersOnce(server);
        if (tracked) {
            server.inFlight++;
        }
        server.serverCounts.request(tracked);
        frontend.counters.received(bytes);
        clientCounters.received(client.routingKey, bytes);
        backend.counters.sent(bytes);
        ++sequence;
        if (listener != null) {
            listener.forwarded(view.set(Direction.IN, id, in, start, m.end(), m.frames(), sequence));
        }
        return true;
    }

    private WirePeer nextServerWithRoom() {
        int n = servers.size();
        for (int i = 0; i < n; i++) {
            WirePeer s = servers.get((nextServer + i) % n);
            if (s.unsent() < ROOM && (!answersOnce(s) || s.inFlight < maxInFlight)) {
                nextServer = (nextServer + i + 1) % n;
                return s;
            }
        }
        return null;
    }

    /** True for a REP server: one reply per request, so what it has unanswered is known. */
    private static boolean answersOnce(WirePeer server) {
        return "REP".equals(server.socketType);
    }

    private boolean reply(WirePeer server, ByteBuffer in, FrameScanner m) {
        int start = m.start();
        int idAt = FrameScanner.bodyAt(in, start);
        ByteBuffer key = in.duplicate().limit(idAt + FrameScanner.sizeAt(in, start)).position(idAt);
        WirePeer client = m.frames() < 2 ? null : clients.get(key);
        if (client != null && client.unsent() >= ROOM) {
            if (repliesWaiting.add(server) && repliesWaiting.size() == 1) {
                peers.refreshReading(frontend);
            }
            return false;
        }
        if (repliesWaiting.remove(server) && repliesWaiting.isEmpty()) {
            peers.refreshReading(frontend);
        }
        boolean tracked = answersOnce(server);
        if (tracked && server.inFlight > 0 && server.inFlight-- == maxInFlight) {
            peers.noteRoom(); // clients held back for this server can go on
        }
        server.serverCounts.reply(tracked);
        long bytes = m.bytes();
        backend.counters.received(bytes);
        if (client == null) {
            undeliverable = undeliverable + 1; // the client has gone (or the reply had no routing id)
            return true;
        }
        int rest = m.secondFrame();
        copy(in, rest, m.end() - rest, client.reserveOut(m.end() - rest));
        peers.markDirty(client);
        frontend.counters.sent(bytes);
        clientCounters.sent(key, bytes);
        ++sequence;
        if (listener != null) {
            listener.forwarded(view.set(Direction.OUT, null, in, start, m.end(), m.frames(), sequence));
        }
        return true;
    }

    private static void copy(ByteBuffer from, int at, int length, ByteBuffer out) {
        out.put(out.position(), from, at, length);
        out.position(out.position() + length);
    }

    Map<String, SocketStatistics> peerStatistics() {
        return clientCounters.snapshot();
    }

    /** Per-client counts as statistics peers (role {@code client}); any thread. */
    List<StatisticsEvent.Peer> clientPeers() {
        return clientCounters.peers();
    }

    /** Per server (by address): connections, requests, replies, in flight, unanswered. Any thread. */
    List<ServerStatistics> serverStatistics() {
        return serverCounters.snapshot();
    }

    SocketStatistics frontendCounters() {
        return frontend.counters.snapshot();
    }

    SocketStatistics backendCounters() {
        return backend.counters.snapshot();
    }

    long undeliverable() {
        return undeliverable;
    }

    long unanswered() {
        return serverCounters.unanswered();
    }
}
