package io.zmqtap.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zmqtap.capture.CaptureEvent;
import io.zmqtap.capture.CommandEvent;
import io.zmqtap.capture.ConnectionEvent;
import io.zmqtap.capture.Frame;
import io.zmqtap.capture.HandshakeEvent;
import io.zmqtap.capture.MessageEvent;
import io.zmqtap.capture.NoticeEvent;
import io.zmqtap.capture.ProtocolErrorEvent;
import java.io.PrintWriter;
import java.util.List;

/**
 * Writes one JSON object per line, for programs.
 *
 * <pre>
 * {"type":"message","time":"2026-11-26T10:15:02.481234Z","source":"tcp://localhost:7777","direction":"in",
 *  "identity":{"size":5,"hex":"006b8b4567"},"envelope":[{"size":5,"hex":"006b8b4567"}],
 *  "body":[{"size":1,"text":"3"}],"bytes":6}
 * </pre>
 *
 * Frames carry {@code text} when printable, else {@code hex}, and {@code truncated: true} when
 * the source kept only their first bytes.
 */
public final class JsonSink implements Sink {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final PrintWriter out;

    public JsonSink(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void accept(CaptureEvent event) {
        out.println(toJson(event));
        out.flush();
    }

    /** The JSON object for one event, as written on its line. */
    public static ObjectNode toJson(CaptureEvent event) {
        ObjectNode o = MAPPER.createObjectNode();
        if (event instanceof MessageEvent m) {
            o.put("type", "message");
            common(o, event);
            o.put("direction", m.direction().label());
            if (m.identity() != null) {
                o.set("identity", frame(m.identity()));
            } else {
                o.putNull("identity");
            }
            o.set("envelope", frames(m.envelope()));
            o.set("body", frames(m.body()));
            o.put("bytes", m.size());
        } else if (event instanceof NoticeEvent n) {
            o.put("type", "notice");
            common(o, event);
            o.put("level", n.level().name().toLowerCase(java.util.Locale.ROOT));
            o.put("text", n.text());
        } else if (event instanceof ConnectionEvent c) {
            connection(o, c);
        } else if (event instanceof HandshakeEvent h) {
            handshake(o, h);
        } else if (event instanceof CommandEvent c) {
            o.put("type", "command");
            common(o, event);
            o.put("direction", c.direction().label());
            o.put("name", c.name());
            if (c.topic() != null) {
                o.set("topic", frame(c.topic()));
            }
            o.put("detail", c.detail());
        } else if (event instanceof ProtocolErrorEvent p) {
            o.put("type", "protocol_error");
            common(o, event);
            o.put("direction", p.direction().label());
            o.put("offset", p.offset());
            o.put("message", p.message());
        } else {
            o.put("type", event.getClass().getSimpleName());
            common(o, event);
        }
        return o;
    }

    /** {@code {"type":"connection","kind":"opened","client":"127.0.0.1:53122","upstream":...,"clientSocketType":"REQ",...}}. */
    private static void connection(ObjectNode o, ConnectionEvent c) {
        o.put("type", "connection");
        common(o, c);
        o.put("kind", c.kind().name().toLowerCase(java.util.Locale.ROOT));
        o.put("client", c.client());
        o.put("upstream", c.upstream());
        o.put("clientSocketType", c.clientSocketType());
        o.put("serverSocketType", c.serverSocketType());
        o.put("version", c.version());
        o.put("mechanism", c.mechanism());
        o.put("bytesIn", c.bytesIn());
        o.put("bytesOut", c.bytesOut());
        o.put("messagesIn", c.messagesIn());
        o.put("messagesOut", c.messagesOut());
    }

    /** {@code {"type":"handshake","direction":"in","version":"3.1","mechanism":"NULL","socketType":"REQ",...}}. */
    private static void handshake(ObjectNode o, HandshakeEvent h) {
        o.put("type", "handshake");
        common(o, h);
        o.put("direction", h.direction().label());
        o.put("version", h.version());
        o.put("mechanism", h.mechanism());
        o.put("asServer", h.asServer());
        o.put("socketType", h.socketType());
        if (h.identity() != null) {
            o.set("identity", frame(h.identity()));
        } else {
            o.putNull("identity");
        }
        ObjectNode props = MAPPER.createObjectNode();
        h.properties().forEach((name, value) -> props.set(name, frame(value)));
        o.set("properties", props);
    }

    private static void common(ObjectNode o, CaptureEvent e) {
        o.put("time", e.time().toString());
        o.put("source", e.source());
    }

    /** {@code {"size":1,"text":"3"}} or {@code {"size":5,"hex":"006b8b4567"}}. */
    public static ObjectNode frame(Frame f) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("size", f.size());
        if (f.isText()) {
            o.put("text", f.text());
        } else {
            o.put("hex", f.hex());
        }
        if (f.truncated()) {
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

    @Override
    public void close() {
        out.flush();
    }
}
