package io.zmqtap.pipeline;

import io.zmqtap.event.Frame;
import io.zmqtap.event.StatisticsEvent;
import java.util.Map;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.PackedHistogram;

/**
 * One peer's traffic: messages and bytes each way, and its reply latencies in an HdrHistogram
 * (nanoseconds, 2 significant digits, so within 1%, and nothing finer than half a microsecond).
 * The histogram is made on the first paired reply and is a {@link PackedHistogram}, whose memory
 * follows the values seen, so thousands of peers stay cheap. The coarser grain keeps it small and
 * quick to read: a capture file's summary reads the percentiles of every one of its thousands of
 * peers, and the percentiles are worked out again only for a peer with new replies.
 *
 * <p>Usage: {@code p.message(true, 182); p.latency(61_000); p.snapshot("client", Map.of())}
 */
final class PeerTraffic {
    private final String conn;
    private Frame identity;
    private long messagesIn;
    private long messagesOut;
    private long bytesIn;
    private long bytesOut;
    private AbstractHistogram latency;
    /** The percentiles as last worked out; null when replies came since. */
    private StatisticsEvent.Latency percentiles = StatisticsEvent.Latency.NONE;

    PeerTraffic(String conn, Frame identity) {
        this.conn = conn;
        this.identity = identity;
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
        histogram().recordValue(Math.max(0, nanos));
        percentiles = null;
    }

    StatisticsEvent.Peer snapshot(String role, Map<String, Long> counters) {
        return new StatisticsEvent.Peer(role, conn, identity, messagesIn, messagesOut, bytesIn, bytesOut, latency(), counters);
    }

    private StatisticsEvent.Latency latency() {
        if (percentiles == null) {
            percentiles = new StatisticsEvent.Latency(latency.getTotalCount(), latency.getValueAtPercentile(50),
                    latency.getValueAtPercentile(90), latency.getValueAtPercentile(99), latency.getMaxValue());
        }
        return percentiles;
    }

    private AbstractHistogram histogram() {
        if (latency == null) {
            // from 1 µs (values below share its first bucket) to an hour, growing past that by itself
            latency = new PackedHistogram(1_000, 3_600_000_000_000L, 2);
            latency.setAutoResize(true);
        }
        return latency;
    }
}
