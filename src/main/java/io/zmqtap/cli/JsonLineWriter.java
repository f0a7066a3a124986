package io.zmqtap.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.function.Function;

/**
 * A writer that turns each line a component prints for people into one JSON object, so commands
 * whose output comes from a library class (the example client and server) also have {@code --json}.
 */
final class JsonLineWriter extends PrintWriter {
    private final PrintWriter out;
    private final Function<String, ObjectNode> toJson;

    JsonLineWriter(PrintWriter out, Function<String, ObjectNode> toJson) {
        super(out, true);
        this.out = out;
        this.toJson = toJson;
    }

    /** {@code out} itself, or a writer turning its lines into JSON with {@code toJson} when {@code json}. */
    static PrintWriter choose(PrintWriter out, boolean json, Function<String, ObjectNode> toJson) {
        return json ? new JsonLineWriter(out, toJson) : out;
    }

    @Override
    public void println(String line) {
        out.println(toJson.apply(line));
        out.flush();
    }

    /** {@code {"type":TYPE,"FIELD":VALUE}}: a line of text as JSON, e.g. {@code {"type":"notice","message":"..."}}. */
    static ObjectNode textLine(String type, String field, String value) {
        ObjectNode o = io.zmqtap.sink.JsonSink.mapper().createObjectNode();
        o.put("type", type);
        o.put(field, value);
        return o;
    }

    /** {@code "received 3"} becomes {@code {"type":"server","event":"received","text":"3"}}. */
    static ObjectNode serverLine(String line) {
        int space = line.indexOf(' ');
        ObjectNode o = io.zmqtap.sink.JsonSink.mapper().createObjectNode();
        o.put("type", "server");
        o.put("event", space < 0 ? line : line.substring(0, space));
        o.put("text", space < 0 ? "" : line.substring(space + 1));
        return o;
    }

    /** {@code "3 result:  6"} becomes {@code {"type":"client","request":"3","reply":"6"}}. */
    static ObjectNode clientLine(String line) {
        ObjectNode o = io.zmqtap.sink.JsonSink.mapper().createObjectNode();
        o.put("type", "client");
        int mark = line.indexOf(" result:  ");
        if (mark < 0) {
            o.put("text", line);
        } else {
            o.put("request", line.substring(0, mark));
            o.put("reply", line.substring(mark + " result:  ".length()));
        }
        return o;
    }
}
