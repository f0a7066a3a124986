package io.zmqtap.proxy;

import io.zmqtap.capture.Direction;
import io.zmqtap.capture.Frame;
import io.zmqtap.proxy.FrameScanner.WireProtocolException;
import io.zmqtap.sink.FrameText;
import io.zmqtap.zmtp.ZmtpCommand;
import io.zmqtap.zmtp.ZmtpEncoder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import zmq.Msg;

/**
 * Where the wire engine sends each message, as a ROUTER/DEALER queue does: a client's request goes
 * to the next server with room (round robin) with the client's routing id put in front; a server's
 * reply loses that first frame and goes to the client it names. Copies bytes from the reader's
 * buffer to the destination's, counts, and captures. Runs on the engine's thread only.
 */
final class WireRouter {
    /** Unwritten bytes for one peer past which nothing more is forwarded to it until it drains. */
    static final int ROOM = 1 << 20;

    private final WireSide frontend;
    private final WireSide backend;
    private final CaptureWriter capture;
    private final Consumer<WirePeer> written;
    private final PeerCounters peers = new PeerCounters();
    private final Map<ByteBuffer, WirePeer> clients = new HashMap<>();
    private final List<WirePeer> servers = new ArrayList<>();
    private int nextServer;
    private int nextRoutingId = ThreadLocalRandom.current().nextInt();
    private long sequence;
    private volatile long undeliverable;

    /** @param written told of each peer that has new output to flush */
    WireRouter(WireSide frontend, WireSide backend, CaptureWriter capture, Consumer<WirePeer> written) {
        this.frontend = frontend;
        this.backend = backend;
        this.capture = capture;
        this.written = written;
    }

    /** A peer finished its handshake: a client gets its routing id (its Identity or a made-up one). */
    void join(WirePeer p, ZmtpCommand.Ready ready) throws WireProtocolException {
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
        }
        p.state = WirePeer.State.READY;
    }

    /** A peer's connection closed: nothing more goes to it. */
    void leave(WirePeer p) {
        if (p.routingKey != null && clients.get(p.routingKey) == p) {
            clients.remove(p.routingKey);
        }
        if (servers.remove(p)) {
            nextServer = 0;
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

    /** Forwards the message {@code m} found in {@code in}; false when it must wait for room. */
    boolean forward(WirePeer from, ByteBuffer in, FrameScanner m) {
        return from.side.isFrontend() ? request(from, in, m) : reply(in, m);
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
        written.accept(server);
        frontend.counters.received(bytes);
        peers.received(client.routingKey, bytes);
        backend.counters.sent(bytes);
        captured(Direction.IN, id, in, m, bytes);
        return true;
    }

    private WirePeer nextServerWithRoom() {
        int n = servers.size();
        for (int i = 0; i < n; i++) {
            WirePeer s = servers.get((nextServer + i) % n);
            if (s.unsent() < ROOM) {
                nextServer = (nextServer + i + 1) % n;
                return s;
            }
        }
        return null;
    }

    private boolean reply(ByteBuffer in, FrameScanner m) {
        int start = m.start();
        int idAt = FrameScanner.bodyAt(in, start);
        ByteBuffer key = in.duplicate().limit(idAt + FrameScanner.sizeAt(in, start)).position(idAt);
        WirePeer client = m.frames() < 2 ? null : clients.get(key);
        if (client != null && client.unsent() >= ROOM) {
            return false;
        }
        long bytes = m.bytes();
        backend.counters.received(bytes);
        if (client == null) {
            undeliverable = undeliverable + 1; // the client has gone (or the reply had no routing id)
            return true;
        }
        int rest = m.secondFrame();
        copy(in, rest, m.end() - rest, client.reserveOut(m.end() - rest));
        written.accept(client);
        frontend.counters.sent(bytes);
        peers.sent(key, bytes);
        captured(Direction.OUT, null, in, m, bytes);
        return true;
    }

    private static void copy(ByteBuffer from, int at, int length, ByteBuffer out) {
        out.put(out.position(), from, at, length);
        out.position(out.position() + length);
    }

    /** Numbers the forwarded message and copies it to the capture socket, if there is one. */
    private void captured(Direction direction, byte[] routingId, ByteBuffer in, FrameScanner m, long bytes) {
        sequence++;
        if (!capture.enabled()) {
            return;
        }
        int count = m.frames() + (routingId == null ? 0 : 1);
        Msg[] frames = new Msg[count];
        int i = 0;
        if (routingId != null) {
            frames[i++] = new Msg(routingId);
        }
        for (int at = m.start(); i < count; i++) {
            int body = FrameScanner.bodyAt(in, at);
            byte[] copy = new byte[FrameScanner.sizeAt(in, at)];
            in.get(body, copy);
            frames[i] = new Msg(copy);
            at = body + copy.length;
        }
        ProxiedMessage message = new ProxiedMessage(frames, count, bytes);
        message.captureFrames = frames;
        capture.write(direction, message, sequence);
    }

    Map<String, SocketStatistics> peerStatistics() {
        return peers.snapshot();
    }

    ProxyStatistics statistics() {
        return new ProxyStatistics(frontend.counters.snapshot(), backend.counters.snapshot(),
                capture.captured(), capture.dropped(), undeliverable);
    }
}
