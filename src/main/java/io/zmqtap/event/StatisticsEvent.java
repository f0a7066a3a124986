package io.zmqtap.event;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A source's running summary (with {@code --stats}) or its final one: the one statistics model
 * behind the printed summary, {@code STATISTICS JSON} and, later, metrics.
 *
 * <pre>
 * 10:15:07.000  stats  10.0 s  messages 10 (5 in, 5 out)  dropped 0
 *   0x006b8b4567    in 5  out 5  182 B / 170 B  1.0 msg/s  latency p50 61 µs  p90 80 µs  p99 95 µs  max 95 µs
 *   unanswered: #9 from client_a, sent 10:15:06.900
 * </pre>
 *
 * <p>Usage: {@code stats.counters().get("messages")}, {@code stats.peers().get(0).latency().p99Nanos()}
 *
 * @param time when it was taken
 * @param source which source it sums up
 * @param conn null: statistics cover the whole source
 * @param last true for the summary printed when the source stops
 * @param elapsed how long the source has been running
 * @param counters the source's own counts in snake_case, in a stable order, e.g. {@code messages},
 *        {@code messages_in}, {@code dropped}, {@code unanswered}
 * @param peers per peer (connection or client identity): traffic and reply latency
 * @param unanswered requests still without a reply, oldest first (at most a few; {@code counters}
 *        holds the total)
 */
public record StatisticsEvent(
        Instant time,
        String source,
        String conn,
        boolean last,
        Duration elapsed,
        Map<String, Long> counters,
        List<Peer> peers,
        List<Pending> unanswered)
        implements CaptureEvent {
    public StatisticsEvent {
        counters = Collections.unmodifiableMap(new LinkedHashMap<>(counters));
        peers = List.copyOf(peers);
        unanswered = List.copyOf(unanswered);
    }

    /**
     * One peer's traffic: a connection through a tap, a client identity through a queue, a server
     * or a capture subscriber of a queue.
     *
     * @param role what the peer is to the source: {@code client}, {@code server}, {@code subscriber}
     * @param conn the connection or the peer's address, or null when the peer is known by identity only
     * @param identity the client's identity or routing id, or null
     * @param messagesIn messages client to server
     * @param messagesOut messages server to client
     * @param bytesIn bytes of frames client to server
     * @param bytesOut bytes of frames server to client
     * @param latency request to reply latency, over the replies paired with a request
     * @param counters what else the source counts for this peer, snake_case, e.g. {@code unanswered}, {@code dropped}
     */
    public record Peer(String role, String conn, Frame identity, long messagesIn, long messagesOut, long bytesIn,
            long bytesOut, Latency latency, Map<String, Long> counters) {
        public Peer {
            counters = Collections.unmodifiableMap(new LinkedHashMap<>(counters));
        }

        /** Messages per second both ways over {@code elapsed}. */
        public double rate(Duration elapsed) {
            double s = elapsed.toNanos() / 1e9;
            return s <= 0 ? 0 : (messagesIn + messagesOut) / s;
        }
    }

    /**
     * Latency percentiles in nanoseconds; {@code count} 0 when no reply was paired.
     */
    public record Latency(long count, long p50Nanos, long p90Nanos, long p99Nanos, long maxNanos) {
        public static final Latency NONE = new Latency(0, 0, 0, 0, 0);
    }

    /**
     * A request still waiting for its reply.
     *
     * @param conn its connection, or null
     * @param identity its client, or null
     * @param seq its {@code seq}
     * @param sent when it was seen
     */
    public record Pending(String conn, Frame identity, long seq, Instant sent) {}

    /** A count, 0 when this source does not keep it. */
    public long counter(String name) {
        Long v = counters.get(name);
        return v == null ? 0 : v;
    }
}
