package io.zmqtap.proxy;

import io.zmqtap.event.Frame;
import io.zmqtap.event.FrameText;
import io.zmqtap.event.StatisticsEvent;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import zmq.Msg;

/**
 * Messages per client, keyed by the routing id a ROUTER frontend sees. Bounded: past {@link #MAX_PEERS}
 * distinct clients, further ones are counted together under {@code "(other)"}.
 */
final class PeerCounters {
    static final int MAX_PEERS = 10_000;
    private static final String OTHER = "(other)";

    private final Map<ByteBuffer, SideCounters> peers = new ConcurrentHashMap<>();
    private final SideCounters other = new SideCounters();

    /** Counts a message received from the client whose routing id is {@code id}. */
    void received(Msg id, long bytes) {
        counters(id.buf()).received(bytes);
    }

    /** The same, for a routing id held as {@code id}'s remaining bytes (not kept: copied if new). */
    void received(ByteBuffer id, long bytes) {
        counters(id).received(bytes);
    }

    /** Counts a message sent to the client whose routing id is {@code id}. */
    void sent(Msg id, long bytes) {
        counters(id.buf()).sent(bytes);
    }

    void sent(ByteBuffer id, long bytes) {
        counters(id).sent(bytes);
    }

    private SideCounters counters(ByteBuffer key) {
        SideCounters c = peers.get(key);
        if (c == null) {
            if (peers.size() >= MAX_PEERS) {
                return other;
            }
            c = new SideCounters();
            byte[] copy = new byte[key.remaining()];
            key.duplicate().get(copy);
            peers.put(ByteBuffer.wrap(copy), c);
        }
        return c;
    }

    /**
     * Per-client counts as statistics peers: role {@code client}, the routing id as identity; the
     * clients past {@link #MAX_PEERS} together as conn {@code (other)}.
     */
    List<StatisticsEvent.Peer> peers() {
        List<StatisticsEvent.Peer> out = new ArrayList<>();
        peers.forEach((id, c) -> {
            byte[] bytes = new byte[id.remaining()];
            id.duplicate().get(bytes);
            out.add(peer(null, Frame.of(bytes), c.snapshot()));
        });
        SocketStatistics rest = other.snapshot();
        if (rest.messagesIn() + rest.messagesOut() > 0) {
            out.add(peer(OTHER, null, rest));
        }
        return out;
    }

    private static StatisticsEvent.Peer peer(String conn, Frame identity, SocketStatistics s) {
        return new StatisticsEvent.Peer("client", conn, identity, s.messagesIn(), s.messagesOut(), s.bytesIn(),
                s.bytesOut(), StatisticsEvent.Latency.NONE, Map.of());
    }

    /** Per-client counts (messages in from the client, out to it), clients named as {@link FrameText#identity}. */
    Map<String, SocketStatistics> snapshot() {
        Map<String, SocketStatistics> out = new LinkedHashMap<>();
        peers.forEach((id, c) -> {
            byte[] bytes = new byte[id.remaining()];
            id.duplicate().get(bytes);
            out.put(FrameText.identity(Frame.of(bytes)), c.snapshot());
        });
        SocketStatistics rest = other.snapshot();
        if (rest.messagesIn() + rest.messagesOut() > 0) {
            out.put(OTHER, rest);
        }
        return out;
    }
}
