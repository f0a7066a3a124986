package io.zmqtap.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.CommandEvent;
import io.zmqtap.event.ConnectionEvent;
import io.zmqtap.event.Direction;
import io.zmqtap.event.EventJson;
import io.zmqtap.event.Frame;
import io.zmqtap.event.HandshakeEvent;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.event.NoticeEvent;
import io.zmqtap.event.ProtocolErrorEvent;
import io.zmqtap.event.StatisticsEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One event as a capture file's line, both ways: the JSON of {@code docs/json.md}
 * ({@link EventJson#toJson}, unchanged) plus the few fields that make it exact, so that reading
 * a line back gives an event {@code equals} to the one written, every frame's bytes included.
 *
 * <p>The exactness fields (none of them on {@code --json} output):
 * <ul>
 * <li>{@code "routed":true} on a message whose first frame is the routing id a ROUTER put in front;
 * <li>{@code "identity_frame":{…}}, a frame object, where the identity string would read back
 *     otherwise (a text identity that looks like {@code 0x} and hex; a truncated identity);
 * <li>a truncated frame cut inside a UTF-8 character is written as {@code hex}, not as the text
 *     before the cut (which would lose the character's first bytes);
 * <li>{@code "elapsed_ns"} on statistics ({@code elapsed_s} is rounded to 0.1 s).
 * </ul>
 *
 * <p>{@link #read} reads plain schema-1 lines too (what {@code --json} printed), as exactly as they allow.
 *
 * <p>Usage: {@code byte[] line = RecordJson.write(event); CaptureEvent back = RecordJson.read(json);}
 */
public final class RecordJson {
    private static final Set<String> PEER_FIELDS = Set.of("role", "conn", "identity", "identity_frame", "messages_in",
            "messages_out", "bytes_in", "bytes_out", "msgs_per_s", "latency_us");

    private RecordJson() {}

    /** The line for {@code event}, UTF-8, without the newline. */
    public static byte[] write(CaptureEvent event) {
        try {
            return EventJson.mapper().writeValueAsBytes(toJson(event));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree: " + e.getMessage(), e); // a tree always writes
        }
    }

    /** The schema-1 object with the exactness fields added. */
    public static ObjectNode toJson(CaptureEvent event) {
        ObjectNode o = EventJson.toJson(event);
        if (event instanceof MessageEvent m) {
            if (m.routed()) {
                o.put("routed", true);
            }
            exactIdentity(o, m.identity());
            ArrayNode frames = (ArrayNode) o.get("frames");
            for (int i = 0; i < m.frames().size(); i++) {
                Frame f = m.frames().get(i);
                if (!textIsExact(f)) {
                    frames.set(i, hexFrame(f));
                }
            }
        } else if (event instanceof HandshakeEvent h) {
            exactIdentity(o, h.identity());
            h.properties().forEach((name, value) -> {
                if (!textIsExact(value)) {
                    ((ObjectNode) o.get("properties")).set(name, hexFrame(value));
                }
            });
        } else if (event instanceof CommandEvent c) {
            if (c.topic() != null && !textIsExact(c.topic())) {
                o.set("topic", hexFrame(c.topic()));
            }
        } else if (event instanceof StatisticsEvent s) {
            o.put("elapsed_ns", s.elapsed().toNanos());
            ArrayNode peers = (ArrayNode) o.get("peers");
            for (int i = 0; i < s.peers().size(); i++) {
                exactIdentity((ObjectNode) peers.get(i), s.peers().get(i).identity());
            }
            ArrayNode pending = (ArrayNode) o.get("unanswered");
            for (int i = 0; i < s.unanswered().size(); i++) {
                exactIdentity((ObjectNode) pending.get(i), s.unanswered().get(i).identity());
            }
        }
        return o;
    }

    /**
     * The event a line holds.
     *
     * @throws IllegalArgumentException naming what is wrong, when it is not an event of schema 1
     */
    public static CaptureEvent read(JsonNode o) {
        if (!o.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        int v = o.path("v").asInt(-1);
        if (v != EventJson.SCHEMA) {
            throw new IllegalArgumentException("schema version " + o.path("v") + ", expected " + EventJson.SCHEMA);
        }
        String type = o.path("type").asText("");
        Instant ts = instant(o, "ts");
        String source = string(o, "source");
        String conn = string(o, "conn");
        switch (type) {
            case "message":
                return message(o, ts, source, conn);
            case "notice":
                return new NoticeEvent(ts, source, conn, NoticeEvent.Level.valueOf(required(o, "level").toUpperCase(Locale.ROOT)),
                        required(o, "text"));
            case "connection":
                return new ConnectionEvent(ts, source, conn,
                        "open".equals(required(o, "event")) ? ConnectionEvent.Kind.OPENED : ConnectionEvent.Kind.CLOSED,
                        string(o, "client"), string(o, "server"), string(o, "client_socket_type"),
                        string(o, "server_socket_type"), string(o, "version"), string(o, "mechanism"),
                        o.path("bytes_in").asLong(), o.path("bytes_out").asLong(), o.path("messages_in").asLong(),
                        o.path("messages_out").asLong());
            case "handshake":
                return handshake(o, ts, source, conn);
            case "command":
                JsonNode topic = o.get("topic");
                return new CommandEvent(ts, source, conn, direction(o), required(o, "name"),
                        topic == null || topic.isNull() ? null : frame(topic), o.path("detail").asText(""));
            case "protocol_error":
                return new ProtocolErrorEvent(ts, source, conn, direction(o), o.path("offset").asLong(),
                        required(o, "message"));
            case "statistics":
                return statistics(o, ts, source, conn);
            default:
                throw new IllegalArgumentException("unknown event type '" + type + "'");
        }
    }

    private static MessageEvent message(JsonNode o, Instant ts, String source, String conn) {
        List<Frame> frames = new ArrayList<>();
        for (JsonNode f : o.path("frames")) {
            frames.add(frame(f));
        }
        long replyTo = o.path("reply_to").asLong(0);
        long latency = replyTo > 0 ? nanos(o.path("latency_us").asDouble()) : -1;
        return new MessageEvent(ts, source, conn, o.path("seq").asLong(0), direction(o), identity(o), frames,
                o.path("routed").asBoolean(false), replyTo, latency);
    }

    private static HandshakeEvent handshake(JsonNode o, Instant ts, String source, String conn) {
        Map<String, Frame> props = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            props.put(p.getKey(), frame(p.getValue()));
        }
        return new HandshakeEvent(ts, source, conn, direction(o), string(o, "version"), string(o, "mechanism"),
                o.path("as_server").asBoolean(), string(o, "socket_type"), identity(o), props);
    }

    private static StatisticsEvent statistics(JsonNode o, Instant ts, String source, String conn) {
        Duration elapsed = o.has("elapsed_ns") ? Duration.ofNanos(o.get("elapsed_ns").asLong())
                : Duration.ofNanos(Math.round(o.path("elapsed_s").asDouble() * 1e9));
        Map<String, Long> counters = new LinkedHashMap<>();
        o.path("counters").fields().forEachRemaining(c -> counters.put(c.getKey(), c.getValue().asLong()));
        List<StatisticsEvent.Peer> peers = new ArrayList<>();
        for (JsonNode p : o.path("peers")) {
            Map<String, Long> own = new LinkedHashMap<>();
            p.fields().forEachRemaining(c -> {
                if (!PEER_FIELDS.contains(c.getKey())) {
                    own.put(c.getKey(), c.getValue().asLong());
                }
            });
            JsonNode l = p.get("latency_us");
            StatisticsEvent.Latency latency = l == null ? StatisticsEvent.Latency.NONE
                    : new StatisticsEvent.Latency(l.path("count").asLong(), nanos(l.path("p50").asDouble()),
                            nanos(l.path("p90").asDouble()), nanos(l.path("p99").asDouble()),
                            nanos(l.path("max").asDouble()));
            peers.add(new StatisticsEvent.Peer(required(p, "role"), string(p, "conn"), identity(p),
                    p.path("messages_in").asLong(), p.path("messages_out").asLong(), p.path("bytes_in").asLong(),
                    p.path("bytes_out").asLong(), latency, own));
        }
        List<StatisticsEvent.Pending> pending = new ArrayList<>();
        for (JsonNode p : o.path("unanswered")) {
            pending.add(new StatisticsEvent.Pending(string(p, "conn"), identity(p), p.path("seq").asLong(),
                    instant(p, "ts")));
        }
        return new StatisticsEvent(ts, source, conn, o.path("last").asBoolean(), elapsed, counters, peers, pending);
    }

    /** A frame object: {@code text} or {@code hex}, {@code size} when truncated. */
    static Frame frame(JsonNode f) {
        if (f.path("redacted").asBoolean()) {
            return Frame.redacted(f.path("size").asLong());
        }
        byte[] data;
        if (f.has("hex")) {
            data = hex(f.get("hex").asText());
        } else if (f.has("text")) {
            data = f.get("text").asText().getBytes(StandardCharsets.UTF_8);
        } else {
            throw new IllegalArgumentException("frame without text or hex: " + f);
        }
        long size = f.has("size") ? f.get("size").asLong() : data.length;
        if (size < data.length) {
            throw new IllegalArgumentException("frame size " + size + " < its " + data.length + " bytes");
        }
        return new Frame(data, size);
    }

    /** The identity: {@code identity_frame} when written, else the string ({@code 0x} and hex, or text); null when absent. */
    private static Frame identity(JsonNode o) {
        JsonNode exact = o.get("identity_frame");
        if (exact != null) {
            return frame(exact);
        }
        String s = string(o, "identity");
        return s == null ? null : identityOf(s);
    }

    private static Frame identityOf(String s) {
        if (looksHex(s)) {
            return Frame.of(hex(s.substring(2)));
        }
        return Frame.of(s);
    }

    private static void exactIdentity(ObjectNode o, Frame identity) {
        if (identity == null) {
            return;
        }
        if (identity.truncated() || !identity.isEmpty() && identity.printable() != null
                && looksHex(EventJson.identity(identity))) {
            ObjectNode f = EventJson.frame(identity);
            if (!textIsExact(identity)) {
                f = hexFrame(identity);
            }
            o.set("identity_frame", f);
        }
    }

    /** False for a truncated frame cut inside a character: its text leaves out the character's first bytes. */
    private static boolean textIsExact(Frame f) {
        if (!f.truncated()) {
            return true;
        }
        String t = f.printable();
        return t == null || t.getBytes(StandardCharsets.UTF_8).length == f.data().length;
    }

    private static ObjectNode hexFrame(Frame f) {
        ObjectNode o = EventJson.mapper().createObjectNode();
        o.put("hex", f.hex());
        if (f.truncated()) {
            o.put("size", f.size());
            o.put("truncated", true);
        }
        return o;
    }

    private static boolean looksHex(String s) {
        if (!s.startsWith("0x") || s.length() % 2 != 0) {
            return false;
        }
        for (int i = 2; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] hex(String s) {
        if (s.length() % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits: " + s);
        }
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            int hi = Character.digit(s.charAt(2 * i), 16);
            int lo = Character.digit(s.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("not hex: " + s);
            }
            b[i] = (byte) (hi << 4 | lo);
        }
        return b;
    }

    /** Microseconds as written ({@code nanos / 1000.0}) back to nanoseconds. */
    private static long nanos(double micros) {
        return Math.round(micros * 1000);
    }

    private static Direction direction(JsonNode o) {
        String d = required(o, "dir");
        for (Direction dir : Direction.values()) {
            if (dir.label().equals(d)) {
                return dir;
            }
        }
        throw new IllegalArgumentException("unknown dir '" + d + "'");
    }

    private static Instant instant(JsonNode o, String name) {
        try {
            return Instant.parse(required(o, name));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("bad " + name + " '" + o.get(name).asText() + "'");
        }
    }

    private static String string(JsonNode o, String name) {
        JsonNode n = o.get(name);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static String required(JsonNode o, String name) {
        String s = string(o, name);
        if (s == null) {
            throw new IllegalArgumentException("no '" + name + "'");
        }
        return s;
    }
}
