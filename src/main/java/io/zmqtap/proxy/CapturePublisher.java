package io.zmqtap.proxy;

import io.zmqtap.feed.CaptureFrames;
import io.zmqtap.feed.CaptureFormat;
import io.zmqtap.zmtp.FrameScanner;
import io.zmqtap.event.Direction;
import io.zmqtap.zmtp.FrameScanner.WireProtocolException;
import io.zmqtap.zmtp.ZmtpCommand;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The capture feed as zmqtap's own ZMTP PUB: sniffers (SUB or XSUB, libzmq or JeroMQ) connect
 * over tcp:// or ipc:// to a {@link WireLoop} side whose traffic this is, subscribe (ZMTP 3.0 data
 * frames or 3.1 SUBSCRIBE commands, prefix-matched against the capture message's first frame), and
 * get every capture message in the chosen {@link CaptureFormat}.
 *
 * <p>Why not a JeroMQ PUB: each subscriber here has its own bounded queue (at most {@code hwm}
 * messages and {@code maxBytes} bytes waiting) and its own drop count. A subscriber that stops
 * reading loses only its own captures; a healthy one loses none, and forwarding never waits. With
 * JeroMQ's {@code XPUB_NODROP} one full subscriber failed the send for everyone (a healthy sniffer
 * got 110,000 of 200,000); without it, losses are silent.
 *
 * <p>Runs on its loop's thread: the wire engine's own (captures are written in the turn that
 * forwarded them), or a thread of its own fed by a {@link CaptureHandoff} (the JeroMQ engine).
 */
final class CapturePublisher implements WireTraffic, Capture {
    /** Subscribers whose counts are kept after they left, at most (the oldest are forgotten first). */
    private static final int KEPT = 1000;
    /** Topics one subscriber may hold: a peer subscribing without end is dropped, not indulged. */
    static final int MAX_SUBSCRIPTIONS = 10_000;

    private final CaptureFrames frames;
    private final int hwm;
    private final long maxBytes;
    private final List<Subscriber> connected = new ArrayList<>();
    private final Map<WirePeer, Subscriber> byPeer = new LinkedHashMap<>();
    private final Map<String, Subscriber> kept = new LinkedHashMap<>();
    private WirePeers peers;
    private volatile long captured;
    private volatile long dropped;
    private volatile int subscriptions;

    /**
     * @param hwm capture messages one subscriber may have waiting (the capture high-water mark)
     * @param maxBytes bytes one subscriber may have waiting
     */
    CapturePublisher(WireSide side, CaptureFrames frames, int hwm, long maxBytes) {
        this.frames = frames;
        this.hwm = hwm;
        this.maxBytes = maxBytes;
        side.traffic = this;
    }

    /** The peers of the loop whose thread runs this publisher; set before it runs. */
    void attach(WirePeers peers) {
        this.peers = peers;
    }

    @Override
    public void joined(WirePeer p, ZmtpCommand.Ready ready) {
        Subscriber s = new Subscriber(p, hwm);
        p.subscriber = s;
        connected.add(s);
        byPeer.put(p, s);
        synchronized (kept) {
            kept.put(s.address, s);
            if (kept.size() > KEPT) {
                kept.values().stream().filter(k -> !k.connected).findFirst().ifPresent(k -> kept.remove(k.address));
            }
        }
    }

    @Override
    public void left(WirePeer p) {
        Subscriber s = byPeer.remove(p);
        if (s != null) {
            s.connected = false;
            connected.remove(s);
            countSubscriptions();
        }
    }

    /** ZMTP 3.0 subscriptions: a one-frame message starting 0x01 (subscribe) or 0x00 (cancel). */
    @Override
    public boolean message(WirePeer p, ByteBuffer in, FrameScanner m) throws WireProtocolException {
        if (m.frames() == 1) {
            int body = FrameScanner.bodyAt(in, m.start());
            int size = FrameScanner.sizeAt(in, m.start());
            if (size > 0 && (in.get(body) == 1 || in.get(body) == 0)) {
                byte[] topic = new byte[size - 1];
                in.get(body + 1, topic);
                subscribe(p.subscriber, topic, in.get(body) == 1);
            }
        }
        return true; // anything else an XSUB sends goes nowhere, as with a PUB
    }

    @Override
    public void command(WirePeer p, ZmtpCommand c) throws WireProtocolException {
        if (c instanceof ZmtpCommand.Subscribe s) {
            subscribe(p.subscriber, s.topic(), true);
        } else if (c instanceof ZmtpCommand.Cancel s) {
            subscribe(p.subscriber, s.topic(), false);
        }
    }

    private void subscribe(Subscriber s, byte[] topic, boolean on) throws WireProtocolException {
        if (on && s.topics.size() >= MAX_SUBSCRIPTIONS) {
            throw new WireProtocolException("more than " + MAX_SUBSCRIPTIONS + " subscriptions");
        }
        subscribeQuietly(s, topic, on);
        s.subscriptions = s.topics.size();
        countSubscriptions();
    }

    private static void subscribeQuietly(Subscriber s, byte[] topic, boolean on) {
        if (on) {
            s.topics.add(topic);
        } else {
            for (int i = 0; i < s.topics.size(); i++) {
                if (Arrays.equals(s.topics.get(i), topic)) {
                    s.topics.remove(i); // one cancel takes back one subscribe, as ZeroMQ counts them
                    break;
                }
            }
        }
    }

    private void countSubscriptions() {
        int n = 0;
        for (Subscriber s : connected) {
            n += s.topics.size();
        }
        subscriptions = n;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    /** The wire engine's message, published in the turn that forwarded it. */
    @Override
    public void wire(Direction direction, byte[] routingId, ByteBuffer in, int start, int end, long seq) {
        captured = captured + 1;
        if (connected.isEmpty()) {
            return;
        }
        byte[] metadata = frames.enveloped() ? frames.metadata(direction, seq, dropped) : null;
        int size = frames.headSize(direction, metadata, routingId) + (end - start);
        ByteBuffer first = frames.prefixed() ? frames.prefixTopic(direction)
                : routingId != null ? ByteBuffer.wrap(routingId) : CaptureFrames.firstFrame(in, start);
        for (Subscriber s : connected) {
            ByteBuffer out = room(s, first, size);
            if (out != null) {
                frames.encodeHead(out, direction, metadata, routingId);
                out.put(out.position(), in, start, end - start);
                out.position(out.position() + end - start);
                queued(s);
            }
        }
    }

    /** Not called: the JeroMQ engine's messages come through a {@link CaptureHandoff}, already encoded. */
    @Override
    public void frames(Direction direction, ProxiedMessage message, long seq) {
        throw new UnsupportedOperationException("the JeroMQ engine publishes through a CaptureHandoff");
    }

    /** A capture message encoded by a {@link CaptureHandoff}; {@code first} is its first frame's body. */
    void publish(byte[] message, ByteBuffer first) {
        captured = captured + 1;
        for (Subscriber s : connected) {
            ByteBuffer out = room(s, first, message.length);
            if (out != null) {
                out.put(message);
                queued(s);
            }
        }
    }

    /** {@code s}'s output with room for {@code size} more bytes, or null when it does not want or cannot take them. */
    private ByteBuffer room(Subscriber s, ByteBuffer first, int size) {
        if (!s.matches(first)) {
            return null;
        }
        // a capture larger than the byte bound still goes to a subscriber with nothing waiting:
        // otherwise no sniffer could ever see a message that large
        int waiting = s.waiting();
        if (waiting >= hwm || waiting > 0 && s.peer.unsent() + (long) size > maxBytes) {
            s.dropped++;
            dropped = dropped + 1;
            return null;
        }
        return s.peer.reserveOut(size);
    }

    private void queued(Subscriber s) {
        s.queued++;
        s.sent(s.peer.written + s.peer.unsent());
        peers.markLater(s.peer);
    }

    @Override
    public int subscribedTopics() {
        return subscriptions;
    }

    @Override
    public long captured() {
        return captured;
    }

    @Override
    public long dropped() {
        return dropped;
    }

    @Override
    public List<SubscriberStatistics> subscribers() {
        List<SubscriberStatistics> list = new ArrayList<>();
        synchronized (kept) {
            for (Subscriber s : kept.values()) {
                list.add(new SubscriberStatistics(s.address, s.connected, s.subscriptions, s.queued, s.dropped));
            }
        }
        return list;
    }

    /** One subscriber: its subscriptions, where its queued messages end, its counts. */
    static final class Subscriber {
        final WirePeer peer;
        final String address;
        final List<byte[]> topics = new ArrayList<>();
        /** Ends of the messages still waiting, as counts of bytes ever queued to the peer: a ring. */
        private final long[] ends;
        private int head;
        private int size;
        volatile boolean connected = true;
        volatile int subscriptions;
        volatile long queued;
        volatile long dropped;

        Subscriber(WirePeer peer, int hwm) {
            this.peer = peer;
            this.address = peer.remote;
            this.ends = new long[Math.max(1, hwm)];
        }

        /** True when a subscription is a prefix of {@code first} (the empty one of everything). */
        boolean matches(ByteBuffer first) {
            for (byte[] t : topics) {
                if (startsWith(first, t)) {
                    return true;
                }
            }
            return false;
        }

        private static boolean startsWith(ByteBuffer b, byte[] prefix) {
            if (prefix.length > b.remaining()) {
                return false;
            }
            for (int i = 0; i < prefix.length; i++) {
                if (b.get(b.position() + i) != prefix[i]) {
                    return false;
                }
            }
            return true;
        }

        /** Messages waiting to be written to it now. */
        int waiting() {
            long written = peer.written;
            while (size > 0 && ends[head] <= written) {
                head = (head + 1) % ends.length;
                size--;
            }
            return size;
        }

        void sent(long end) {
            ends[(head + size) % ends.length] = end;
            size++;
        }
    }
}
