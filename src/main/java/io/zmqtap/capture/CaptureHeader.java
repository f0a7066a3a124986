package io.zmqtap.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zmqtap.event.EventJson;
import java.time.Instant;

/**
 * The first line of a section: which format version, what wrote it and when.
 *
 * <pre>
 * {"v":1,"type":"capture_start","format":1,"writer":"zmqtap 1.0.0","command":"tap","ts":"2026-11-30T10:15:02.481234567Z"}
 * </pre>
 *
 * <p>Usage: {@code CaptureHeader h = new CaptureHeader(1, "zmqtap 1.0.0", "tap", Instant.now());}
 *
 * @param format the capture format version, {@link CaptureFileFormat#VERSION}
 * @param writer the program and its version, e.g. {@code zmqtap 1.0.0}
 * @param command the command that recorded, e.g. {@code tap}, {@code queue}
 * @param started when the section was begun
 */
public record CaptureHeader(int format, String writer, String command, Instant started) {
    /** A header for this version of the format. */
    public static CaptureHeader of(String writer, String command, Instant started) {
        return new CaptureHeader(CaptureFileFormat.VERSION, writer, command, started);
    }

    ObjectNode toJson() {
        ObjectNode o = EventJson.mapper().createObjectNode();
        o.put("v", EventJson.SCHEMA);
        o.put("type", CaptureFileFormat.START);
        o.put("format", format);
        o.put("writer", writer);
        o.put("command", command);
        o.put("ts", EventJson.timestamp(started));
        return o;
    }

    static CaptureHeader fromJson(JsonNode o) {
        return new CaptureHeader(o.path("format").asInt(), o.path("writer").asText(""), o.path("command").asText(""),
                Instant.parse(o.path("ts").asText()));
    }
}
