package io.zmqtap.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zmqtap.sink.JsonSink;

/** Proxy statistics as JSON, shared by the control socket, the CLI summary and {@code zmqtap ctl}. */
public final class StatisticsJson {
    static final ProxyStatistics ZERO = new ProxyStatistics(
            new SocketStatistics(0, 0, 0, 0), new SocketStatistics(0, 0, 0, 0), 0, 0, 0);

    private StatisticsJson() {}

    /**
     * {@code {"frontend":{"msgs_in":5,"bytes_in":5,"msgs_out":5,"bytes_out":5},"backend":{...},
     * "captured":10,"capture_dropped":0,"undeliverable":0}}
     */
    public static ObjectNode of(ProxyStatistics s) {
        ObjectNode o = JsonSink.mapper().createObjectNode();
        side(o.putObject("frontend"), s.frontend());
        side(o.putObject("backend"), s.backend());
        o.put("captured", s.captured());
        o.put("capture_dropped", s.captureDropped());
        o.put("undeliverable", s.undeliverable());
        return o;
    }

    private static void side(ObjectNode o, SocketStatistics s) {
        o.put("msgs_in", s.messagesIn());
        o.put("bytes_in", s.bytesIn());
        o.put("msgs_out", s.messagesOut());
        o.put("bytes_out", s.bytesOut());
    }
}
