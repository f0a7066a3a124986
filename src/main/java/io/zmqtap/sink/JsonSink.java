package io.zmqtap.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zmqtap.capture.CaptureEvent;
import io.zmqtap.capture.Frame;
import io.zmqtap.capture.MessageEvent;
import io.zmqtap.capture.NoticeEvent;
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
        } else {
            o.put("type", event.getClass().getSimpleName());
            common(o, event);
        }
        return o;
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
