package io.zmqtap.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.EventJson;
import io.zmqtap.event.Frame;
import io.zmqtap.event.Sink;
import java.io.PrintWriter;
import java.util.List;

/**
 * Writes one JSON object per line in zmqtap's event schema ({@link EventJson}, {@code docs/json.md}).
 *
 * <p>Usage: {@code try (Sink sink = new JsonSink(new PrintWriter(System.out))) { sink.accept(event); }}
 */
public final class JsonSink implements Sink {
    private final PrintWriter out;

    public JsonSink(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void accept(CaptureEvent event) {
        out.println(EventJson.toJson(event));
        out.flush();
    }

    /** The JSON object for one event, as written on its line. */
    public static ObjectNode toJson(CaptureEvent event) {
        return EventJson.toJson(event);
    }

    /** {@code {"text":"3"}} or {@code {"hex":"006b8b4567"}}. */
    public static ObjectNode frame(Frame f) {
        return EventJson.frame(f);
    }

    public static ArrayNode frames(List<Frame> frames) {
        return EventJson.frames(frames);
    }

    /** The shared mapper, for other JSON writers in zmqtap. */
    public static ObjectMapper mapper() {
        return EventJson.mapper();
    }

    @Override
    public void close() {
        out.flush();
    }
}
