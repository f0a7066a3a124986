package io.zmqtap.event;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * zmqtap's JSON-lines event schema, version {@value #SCHEMA}: one object per event, the same from
 * every source (documented with a sample of each type in {@code docs/json.md}).
 *
 * <pre>
 * {"v":1,"type":"message","ts":"2026-11-26T10:15:02.481234000Z","source":"tcp://localhost:7777","seq":17,
 *  "dir":"out","identity":"client_a","frames":[{"text":"client_a"},{"text":""},{"text":"6"}],"size":9,
 *  "reply_to":16,"latency_us":61.2}
 * </pre>
 *
 * Names are snake_case; {@code ts} is RFC 3339 in UTC with nanoseconds; a field the source does
 * not know is left out. Frames are {@code {"text":…}} when printable UTF-8, else {@code {"hex":…}},
 * with {@code "size"} and {@code "truncated":true} when the source kept only their first bytes.
 *
 * <p>Usage: {@code String line = EventJson.toJson(event).toString();}
 */
public final class EventJson {
    /** The schema version every line carries as {@code "v"}. */
    public static final int SCHEMA = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter TS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private EventJson() {}

    /** The JSON object for one event, as written on its line. */
    public static ObjectNode toJson(CaptureEvent event) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("v", SCHEMA);
        o.put("type", type(event));
        o.put("ts", timestamp(event.time()));
        o.put("source", event.source());
        if (event.conn() != null) {
            o.put("conn", event.conn());
        }
        if (event instanceof MessageEvent m) {
            message(o, m);
        } else if (event instanceof NoticeEvent n) {
            o.put("level", n.level().name().toLowerCase(Locale.ROOT));
            o.put("text", n.text());
        } else if (event instanceof ConnectionEvent c) {
            connection(o, c);
        } else if (event instanceof HandshakeEvent h) {
            handshake(o, h);
        } else if (event instanceof CommandEvent c) {
            o.put("dir", c.direction().label());
            o.put("name", c.name());
            if (c.topic() != null) {
                o.set("topic", frame(c.topic()));
            }
            if (!c.detail().isEmpty()) {
                o.put("detail", c.detail());
            }
        } else if (event instanceof ProtocolErrorEvent p) {
            o.put("dir", p.direction().label());
            o.put("offset", p.offset());
            o.put("message", p.message());
        } else if (event instanceof StatisticsEvent st) {
            statistics(o, st);
        }
        return o;
    }

    /** The {@code type} of each event: message, notice, connection, handshake, command, protocol_error, statistics. */
    public static String type(CaptureEvent event) {
        if (event instanceof MessageEvent) {
            return "message";
        } else if (event instanceof NoticeEvent) {
            return "notice";
        } else if (event instanceof ConnectionEvent) {
            return "connection";
        } else if (event instanceof HandshakeEvent) {
            return "handshake";
        } else if (event instanceof CommandEvent) {
            return "command";
        } else if (event instanceof ProtocolErrorEvent) {
            return "protocol_error";
        }
        return "statistics";
    }

    /** RFC 3339 in UTC with nine fraction digits, e.g. {@code 2026-11-26T10:15:02.481234000Z}. */
    public static String timestamp(Instant t) {
        return TS.format(t);
    }

    private static void message(ObjectNode o, MessageEvent m) {
        if (m.seq() > 0) {
            o.put("seq", m.seq());
        }
        o.put("dir", m.direction().label());
        if (m.identity() != null) {
            o.put("identity", identity(m.identity()));
        }
        o.set("frames", frames(m.frames()));
        o.put("size", m.size());
        if (m.replyTo() > 0) {
            o.put("reply_to", m.replyTo());
            o.put("latency_us", micros(m.latencyNanos()));
        }
    }

    private static void connection(ObjectNode o, ConnectionEvent c) {
        o.put("event", c.kind() == ConnectionEvent.Kind.OPENED ? "open" : "close");
        o.put("client", c.client());
        o.put("server", c.upstream());
        putIfKnown(o, "client_socket_type", c.clientSocketType());
        putIfKnown(o, "server_socket_type", c.serverSocketType());
        putIfKnown(o, "version", c.version());
        putIfKnown(o, "mechanism", c.mechanism());
        o.put("messages_in", c.messagesIn());
        o.put("messages_out", c.messagesOut());
        o.put("bytes_in", c.bytesIn());
        o.put("bytes_out", c.bytesOut());
    }

    private static void handshake(ObjectNode o, HandshakeEvent h) {
        o.put("dir", h.direction().label());
        o.put("version", h.version());
        o.put("mechanism", h.mechanism());
        o.put("as_server", h.asServer());
        putIfKnown(o, "socket_type", h.socketType());
        if (h.identity() != null) {
            o.put("identity", identity(h.identity()));
        }
        if (!h.properties().isEmpty()) {
            ObjectNode props = o.putObject("properties");
            h.properties().forEach((name, value) -> props.set(name, frame(value)));
        }
    }

    private static void statistics(ObjectNode o, StatisticsEvent s) {
        o.put("last", s.last());
        o.put("elapsed_s", Math.round(s.elapsed().toMillis() / 100.0) / 10.0);
        ObjectNode counters = o.putObject("counters");
        s.counters().forEach(counters::put);
        ArrayNode peers = o.putArray("peers");
        for (StatisticsEvent.Peer p : s.peers()) {
            ObjectNode n = peers.addObject();
            n.put("role", p.role());
            if (p.conn() != null) {
                n.put("conn", p.conn());
            }
            if (p.identity() != null) {
                n.put("identity", identity(p.identity()));
            }
            n.put("messages_in", p.messagesIn());
            n.put("messages_out", p.messagesOut());
            n.put("bytes_in", p.bytesIn());
            n.put("bytes_out", p.bytesOut());
            n.put("msgs_per_s", Math.round(p.rate(s.elapsed()) * 10) / 10.0);
            StatisticsEvent.Latency l = p.latency();
            if (l.count() > 0) {
                ObjectNode lat = n.putObject("latency_us");
                lat.put("count", l.count());
                lat.put("p50", micros(l.p50Nanos()));
                lat.put("p90", micros(l.p90Nanos()));
                lat.put("p99", micros(l.p99Nanos()));
                lat.put("max", micros(l.maxNanos()));
            }
            p.counters().forEach(n::put);
        }
        ArrayNode pending = o.putArray("unanswered");
        for (StatisticsEvent.Pending p : s.unanswered()) {
            ObjectNode n = pending.addObject();
            if (p.conn() != null) {
                n.put("conn", p.conn());
            }
            if (p.identity() != null) {
                n.put("identity", identity(p.identity()));
            }
            n.put("seq", p.seq());
            n.put("ts", timestamp(p.sent()));
        }
    }

    private static void putIfKnown(ObjectNode o, String name, String value) {
        if (value != null) {
            o.put(name, value);
        }
    }

    /** Microseconds with nanosecond precision: {@code 61.234}. */
    static double micros(long nanos) {
        return nanos / 1000.0;
    }

    /** An identity or routing id: its text when printable UTF-8, else {@code 0x} and hex. */
    public static String identity(Frame f) {
        String t = f.isEmpty() ? null : f.printable();
        return t != null ? t : "0x" + f.hex();
    }

    /** {@code {"text":"3"}} or {@code {"hex":"006b8b4567"}}, plus {@code size} and {@code truncated} when cut. */
    public static ObjectNode frame(Frame f) {
        ObjectNode o = MAPPER.createObjectNode();
        String t = f.printable();
        if (t != null) {
            o.put("text", t);
        } else {
            o.put("hex", f.hex());
        }
        if (f.truncated()) {
            o.put("size", f.size());
            o.put("truncated", true);
        }
        return o;
    }

    public static ArrayNode frames(List<Frame> frames) {
        ArrayNode a = MAPPER.createArrayNode();
        for (Frame f : frames) {
            a.add(frame(f));
        }
        return a;
    }

    /** The shared mapper, for other JSON writers in zmqtap. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
