package io.zmqtap.replay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zmqtap.event.EventJson;

/**
 * The JSON lines of {@code zmqtap replay --json} ({@code docs/replay.md}): one object per request,
 * then one summary. Frames are written as in every other JSON line ({@code docs/json.md}).
 *
 * <pre>
 * {"type":"replay","seq":7,"conn":"c1","result":"differs","request":[{"text":"21"}],
 *  "recorded":[{"text":""},{"text":"42"}],"reply":[{"text":""},{"text":"43"}],
 *  "diff":"frame 2 differs at byte 1","frame":2,"byte":1,"latency_us":180.5}
 * {"type":"replay_summary","requests":120,"same":119,"differs":1,"unanswered":0,"unrecorded":0,"late":0,"ok":false}
 * </pre>
 */
public final class ReplayJson {
    private ReplayJson() {}

    /** The line of one request's result. */
    public static ObjectNode result(RequestResult r) {
        ObjectNode o = EventJson.mapper().createObjectNode();
        o.put("type", "replay");
        o.put("seq", r.request().seq());
        o.put("conn", r.conversation());
        o.put("result", r.outcome().label());
        o.set("request", EventJson.frames(r.request().send()));
        if (r.request().expected() != null) {
            o.set("recorded", EventJson.frames(r.request().expected()));
        } else {
            o.putNull("recorded");
        }
        if (r.reply() != null) {
            o.set("reply", EventJson.frames(r.reply()));
            o.put("latency_us", r.latencyNanos() / 1000.0);
        }
        if (r.diff() != null) {
            o.put("diff", r.diff().describe());
            if (r.diff().frame() > 0) {
                o.put("frame", r.diff().frame());
                o.put("byte", r.diff().offset());
            }
        }
        if (r.reason() != null) {
            o.put("reason", r.reason());
        }
        return o;
    }

    /** The last line: the counts, and {@code ok} (nothing differed or went unanswered). */
    public static ObjectNode summary(ReplaySummary s, long filteredOut) {
        ObjectNode o = EventJson.mapper().createObjectNode();
        o.put("type", "replay_summary");
        o.put("requests", s.requests());
        o.put("same", s.same());
        o.put("differs", s.differs());
        o.put("unanswered", s.unanswered());
        o.put("unrecorded", s.unrecorded());
        o.put("late", s.late());
        o.put("filtered_out", filteredOut);
        o.put("ok", s.ok());
        return o;
    }
}
