package io.zmqtap.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
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
 * with {@code "size"} and {@code "truncated":true} when the source kept only their first bytes;
 * a frame masked by {@code --redact} is {@code {"redacted":true,"size":12}}.
 *
 * <p>Written straight to a {@link JsonGenerator} ({@link #write}), with no tree in between: a
 * capture file of millions of messages is printed at the speed it is read. {@link #toJson} gives
 * the same object as a tree, for callers that want to look at it.
 *
 * <p>Usage: {@code String line = EventJson.toJson(event).toString();} or, for many lines,
 * {@code EventJson.write(event, generator);}
 */
public final class EventJson {
    /** The schema version every line carries as {@code "v"}. */
    public static final int SCHEMA = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    // The names every message line carries, quoted once (a capture file writes millions of lines).
    private static final SerializableString V = new SerializedString("v");
    private static final SerializableString TYPE = new SerializedString("type");
    private static final SerializableString TS = new SerializedString("ts");
    private static final SerializableString SOURCE = new SerializedString("source");
    private static final SerializableString CONN = new SerializedString("conn");
    private static final SerializableString SEQ = new SerializedString("seq");
    private static final SerializableString DIR = new SerializedString("dir");
    private static final SerializableString IDENTITY = new SerializedString("identity");
    private static final SerializableString FRAMES = new SerializedString("frames");
    private static final SerializableString SIZE = new SerializedString("size");
    private static final SerializableString REPLY_TO = new SerializedString("reply_to");
    private static final SerializableString LATENCY_US = new SerializedString("latency_us");
    private static final SerializableString TEXT = new SerializedString("text");
    private static final SerializableString HEX = new SerializedString("hex");
    private static final SerializableString TRUNCATED = new SerializedString("truncated");

    private EventJson() {}

    /** The JSON object for one event, as written on its line. */
    public static ObjectNode toJson(CaptureEvent event) {
        return (ObjectNode) tree(g -> write(event, g));
    }

    /**
     * Writes one event's object (no line break) to {@code g}; the generator is neither flushed nor
     * closed.
     */
    public static void write(CaptureEvent event, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeFieldName(V);
        g.writeNumber(SCHEMA);
        g.writeFieldName(TYPE);
        g.writeString(type(event));
        g.writeFieldName(TS);
        char[] ts = new char[TimeText.UTC_MAX_LENGTH];
        g.writeString(ts, 0, TimeText.utc(event.time(), ts)); // no string made for it
        g.writeFieldName(SOURCE);
        g.writeString(event.source());
        if (event.conn() != null) {
            g.writeFieldName(CONN);
            g.writeString(event.conn());
        }
        if (event instanceof MessageEvent m) {
            message(g, m);
        } else if (event instanceof NoticeEvent n) {
            g.writeStringField("level", n.level().name().toLowerCase(Locale.ROOT));
            g.writeStringField("text", n.text());
        } else if (event instanceof ConnectionEvent c) {
            connection(g, c);
        } else if (event instanceof HandshakeEvent h) {
            handshake(g, h);
        } else if (event instanceof CommandEvent c) {
            g.writeStringField("dir", c.direction().label());
            g.writeStringField("name", c.name());
            if (c.topic() != null) {
                g.writeFieldName("topic");
                frame(g, c.topic());
            }
            if (!c.detail().isEmpty()) {
                g.writeStringField("detail", c.detail());
            }
        } else if (event instanceof ProtocolErrorEvent p) {
            g.writeStringField("dir", p.direction().label());
            g.writeNumberField("offset", p.offset());
            g.writeStringField("message", p.message());
        } else if (event instanceof StatisticsEvent st) {
            statistics(g, st);
        }
        g.writeEndObject();
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
        return TimeText.utc(t);
    }

    private static void message(JsonGenerator g, MessageEvent m) throws IOException {
        if (m.seq() > 0) {
            g.writeFieldName(SEQ);
            g.writeNumber(m.seq());
        }
        g.writeFieldName(DIR);
        g.writeString(m.direction().label());
        if (m.identity() != null) {
            g.writeFieldName(IDENTITY);
            g.writeString(identity(m.identity()));
        }
        g.writeFieldName(FRAMES);
        frames(g, m.frames());
        g.writeFieldName(SIZE);
        g.writeNumber(m.size());
        if (m.replyTo() > 0) {
            g.writeFieldName(REPLY_TO);
            g.writeNumber(m.replyTo());
            g.writeFieldName(LATENCY_US);
            g.writeNumber(micros(m.latencyNanos()));
        }
    }

    private static void connection(JsonGenerator g, ConnectionEvent c) throws IOException {
        g.writeStringField("event", c.kind() == ConnectionEvent.Kind.OPENED ? "open" : "close");
        g.writeStringField("client", c.client());
        g.writeStringField("server", c.upstream());
        writeIfKnown(g, "client_socket_type", c.clientSocketType());
        writeIfKnown(g, "server_socket_type", c.serverSocketType());
        writeIfKnown(g, "version", c.version());
        writeIfKnown(g, "mechanism", c.mechanism());
        g.writeNumberField("messages_in", c.messagesIn());
        g.writeNumberField("messages_out", c.messagesOut());
        g.writeNumberField("bytes_in", c.bytesIn());
        g.writeNumberField("bytes_out", c.bytesOut());
    }

    private static void handshake(JsonGenerator g, HandshakeEvent h) throws IOException {
        g.writeStringField("dir", h.direction().label());
        g.writeStringField("version", h.version());
        g.writeStringField("mechanism", h.mechanism());
        g.writeBooleanField("as_server", h.asServer());
        writeIfKnown(g, "socket_type", h.socketType());
        if (h.identity() != null) {
            g.writeStringField("identity", identity(h.identity()));
        }
        if (!h.properties().isEmpty()) {
            g.writeObjectFieldStart("properties");
            for (var p : h.properties().entrySet()) {
                g.writeFieldName(p.getKey());
                frame(g, p.getValue());
            }
            g.writeEndObject();
        }
    }

    private static void statistics(JsonGenerator g, StatisticsEvent s) throws IOException {
        g.writeBooleanField("last", s.last());
        g.writeNumberField("elapsed_s", Math.round(s.elapsed().toMillis() / 100.0) / 10.0);
        g.writeObjectFieldStart("counters");
        for (var c : s.counters().entrySet()) {
            g.writeNumberField(c.getKey(), c.getValue());
        }
        g.writeEndObject();
        g.writeArrayFieldStart("peers");
        for (StatisticsEvent.Peer p : s.peers()) {
            g.writeStartObject();
            g.writeStringField("role", p.role());
            if (p.conn() != null) {
                g.writeStringField("conn", p.conn());
            }
            if (p.identity() != null) {
                g.writeStringField("identity", identity(p.identity()));
            }
            g.writeNumberField("messages_in", p.messagesIn());
            g.writeNumberField("messages_out", p.messagesOut());
            g.writeNumberField("bytes_in", p.bytesIn());
            g.writeNumberField("bytes_out", p.bytesOut());
            g.writeNumberField("msgs_per_s", Math.round(p.rate(s.elapsed()) * 10) / 10.0);
            StatisticsEvent.Latency l = p.latency();
            if (l.count() > 0) {
                g.writeObjectFieldStart("latency_us");
                g.writeNumberField("count", l.count());
                g.writeNumberField("p50", micros(l.p50Nanos()));
                g.writeNumberField("p90", micros(l.p90Nanos()));
                g.writeNumberField("p99", micros(l.p99Nanos()));
                g.writeNumberField("max", micros(l.maxNanos()));
                g.writeEndObject();
            }
            for (var c : p.counters().entrySet()) {
                g.writeNumberField(c.getKey(), c.getValue());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("unanswered");
        for (StatisticsEvent.Pending p : s.unanswered()) {
            g.writeStartObject();
            if (p.conn() != null) {
                g.writeStringField("conn", p.conn());
            }
            if (p.identity() != null) {
                g.writeStringField("identity", identity(p.identity()));
            }
            g.writeNumberField("seq", p.seq());
            g.writeStringField("ts", timestamp(p.sent()));
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeIfKnown(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
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
        return (ObjectNode) tree(g -> frame(g, f));
    }

    public static ArrayNode frames(List<Frame> frames) {
        return (ArrayNode) tree(g -> frames(g, frames));
    }

    private static void frames(JsonGenerator g, List<Frame> frames) throws IOException {
        g.writeStartArray();
        for (Frame f : frames) {
            frame(g, f);
        }
        g.writeEndArray();
    }

    private static void frame(JsonGenerator g, Frame f) throws IOException {
        g.writeStartObject();
        if (f.isRedacted()) {
            g.writeBooleanField("redacted", true);
            g.writeNumberField("size", f.size());
            g.writeEndObject();
            return;
        }
        String t = f.printable();
        if (t != null) {
            g.writeFieldName(TEXT);
            g.writeString(t);
        } else {
            g.writeFieldName(HEX);
            g.writeString(f.hex());
        }
        if (f.truncated()) {
            g.writeFieldName(SIZE);
            g.writeNumber(f.size());
            g.writeFieldName(TRUNCATED);
            g.writeBoolean(true);
        }
        g.writeEndObject();
    }

    /** The shared mapper, for other JSON writers in zmqtap. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** What {@code writer} writes, as a tree. */
    private static JsonNode tree(Writing writer) {
        try (TokenBuffer buffer = new TokenBuffer(MAPPER, false)) {
            writer.write(buffer);
            return MAPPER.readTree(buffer.asParser());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a token buffer does no I/O
        }
    }

    @FunctionalInterface
    private interface Writing {
        void write(JsonGenerator g) throws IOException;
    }
}
