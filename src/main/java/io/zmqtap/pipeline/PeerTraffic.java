package io.zmqtap.pipeline;

import io.zmqtap.event.Frame;
import io.zmqtap.event.StatisticsEvent;
import java.util.Map;

/**
 * One peer's traffic: messages and bytes each way, and its reply latencies in a
 * {@link LatencyHistogram} (HdrHistogram's buckets: nanoseconds, 2 significant digits, so within
 * 1 %, nothing finer than half a microsecond), made on the first paired reply, so thousands of peers
 * stay cheap. A capture file's summary reads the percentiles of every one of its thousands of
 * peers; they are worked out again only for a peer with new replies.
 *
 * <p>Usage: {@code p.message(true, 182); p.latency(61_000); p.snapshot("client", Map.of())}
 */
final class PeerTraffic {
    private final String conn;
    /** False for the peers summed in one (their identities are many): it then shows none. */
    private final boolean oneClient;
    private Frame identity;
    private long messagesIn;
    private long messagesOut;
    private long bytesIn;
    private long bytesOut;
    private LatencyHistogram latency;
    /** The percentiles as last worked out; null when replies came since. */
    private StatisticsEvent.Latency percentiles = StatisticsEvent.Latency.NONE;

    PeerTraffic(String conn, Frame identity) {
        this(conn, identity, true);
    }

    private PeerTraffic(String conn, Frame identity, boolean oneClient) {
        this.conn = conn;
        this.identity = identity;
        this.oneClient = oneClient;
    }

    /**
     * The traffic of many peers summed under {@code conn}. It takes identities as any peer does but
     * shows none, so that the per-message path needs no test for it: a test first true at a file's
     * 10,001st peer made C2 throw away and compile again the pipeline's whole inlined path.
     */
    static PeerTraffic summed(String conn) {
        return new PeerTraffic(conn, null, false);
    }

    /** One message: client to server ({@code in}) or back, {@code bytes} on the wire. */
    void message(boolean in, long bytes) {
        if (in) {
            messagesIn++;
            bytesIn += bytes;
        } else {
            messagesOut++;
            bytesOut += bytes;
        }
    }

    /** The client's identity, once it is known (a tap learns it from the handshake). */
    void identity(Frame id) {
        if (id != null) {
            identity = id;
        }
    }

    /** One reply's latency. */
    void latency(long nanos) {
        if (latency == null) {
            latency = new LatencyHistogram();
        }
        latency.record(nanos);
        percentiles = null;
    }

    StatisticsEvent.Peer snapshot(String role, Map<String, Long> counters) {
        return new StatisticsEvent.Peer(role, conn, oneClient ? identity : null, messagesIn, messagesOut, bytesIn, bytesOut, latency(), counters);
    }

    private StatisticsEvent.Latency latency() {
        if (percentiles == null) {
            percentiles = latency.summary();
        }
        return percentiles;
    }
}
