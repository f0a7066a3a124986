package io.zmqtap.proxy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zmqtap.sink.JsonSink;
import java.util.List;

/** Proxy statistics as JSON, shared by the control socket, the CLI summary and {@code zmqtap ctl}. */
public final class StatisticsJson {
    static final ProxyStatistics ZERO = new ProxyStatistics(
            new SocketStatistics(0, 0, 0, 0), new SocketStatistics(0, 0, 0, 0), 0, 0, 0, 0, List.of(), List.of(),
            ProxyStatistics.Memory.NONE, 0);

    private StatisticsJson() {}

    /**
     * {@code {"frontend":{"msgs_in":5,"bytes_in":5,"msgs_out":5,"bytes_out":5},"backend":{...},
     * "captured":10,"capture_dropped":0,"undeliverable":0,"unanswered":0,
     * "servers":[{"address":"localhost:5555","connections":1,"requests":5,"replies":5,"in_flight":0,"unanswered":0}],
     * "subscribers":[{"address":"127.0.0.1:50312","connected":true,"subscriptions":1,"queued":10,"dropped":0}],
     * "memory":{"used":16384,"peak":65536,"limit":268435456},"notices":0}}
     */
    public static ObjectNode of(ProxyStatistics s) {
        ObjectNode o = JsonSink.mapper().createObjectNode();
        side(o.putObject("frontend"), s.frontend());
        side(o.putObject("backend"), s.backend());
        o.put("captured", s.captured());
        o.put("capture_dropped", s.captureDropped());
        o.put("undeliverable", s.undeliverable());
        o.put("unanswered", s.unanswered());
        ArrayNode servers = o.putArray("servers");
        for (ServerStatistics v : s.servers()) {
            ObjectNode n = servers.addObject();
            n.put("address", v.address());
            n.put("connections", v.connections());
            n.put("requests", v.requests());
            n.put("replies", v.replies());
            n.put("in_flight", v.inFlight());
            n.put("unanswered", v.unanswered());
        }
        ArrayNode subscribers = o.putArray("subscribers");
        for (SubscriberStatistics v : s.subscribers()) {
            ObjectNode n = subscribers.addObject();
            n.put("address", v.address());
            n.put("connected", v.connected());
            n.put("subscriptions", v.subscriptions());
            n.put("queued", v.queued());
            n.put("dropped", v.dropped());
        }
        ObjectNode memory = o.putObject("memory");
        memory.put("used", s.memory().used());
        memory.put("peak", s.memory().peak());
        memory.put("limit", s.memory().limit());
        o.put("notices", s.notices());
        return o;
    }

    private static void side(ObjectNode o, SocketStatistics s) {
        o.put("msgs_in", s.messagesIn());
        o.put("bytes_in", s.bytesIn());
        o.put("msgs_out", s.messagesOut());
        o.put("bytes_out", s.bytesOut());
    }
}
