package io.zmqtap.pipeline;

import io.zmqtap.event.Frame;
import io.zmqtap.event.StatisticsEvent;
import java.util.Map;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.PackedHistogram;

/**
 * One peer's traffic: messages and bytes each way, and its reply latencies in an HdrHistogram
 * (nanoseconds, 3 significant digits). The histogram is made on the first paired reply and is a
 * {@link PackedHistogram}, whose memory follows the values seen, so thousands of peers stay cheap.
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
    }

    StatisticsEvent.Peer snapshot(String role, Map<String, Long> counters) {
        return new StatisticsEvent.Peer(role, conn, identity, messagesIn, messagesOut, bytesIn, bytesOut, latency(), counters);
    }

    private StatisticsEvent.Latency latency() {
        if (latency == null || latency.getTotalCount() == 0) {
            return StatisticsEvent.Latency.NONE;
        }
        return new StatisticsEvent.Latency(latency.getTotalCount(), latency.getValueAtPercentile(50),
                latency.getValueAtPercentile(90), latency.getValueAtPercentile(99), latency.getMaxValue());
    }

    private AbstractHistogram histogram() {
        if (latency == null) {
            latency = new PackedHistogram(3); // auto-resizing: any latency fits
        }
        return latency;
    }
}
