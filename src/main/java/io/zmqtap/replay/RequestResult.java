package io.zmqtap.replay;

import io.zmqtap.event.Frame;
import io.zmqtap.event.FrameText;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.event.Redaction;
import java.util.List;

/**
 * One request sent again, and how its new reply compares with the recorded one.
 *
 * <pre>
 * #7 c1 "21" → recorded | "42", now | "43" (frame 2 differs at byte 1)
 * #9 c1 "x" → recorded | "error", now no reply within 5 s
 * </pre>
 *
 * @param conversation the conversation's name ({@code c1}, or the client's identity)
 * @param request the request
 * @param outcome same, differs, unanswered or unrecorded
 * @param reply the new reply as it travelled (a REQ's with its delimiter), or null when none came
 * @param diff where it differs, or null
 * @param latencyNanos from sending to the new reply, or -1 when none came
 * @param reason why there is no reply (e.g. {@code no reply within 5 s}), or null
 */
public record RequestResult(String conversation, Request request, Outcome outcome, List<Frame> reply, ReplyDiff diff,
        long latencyNanos, String reason) {
    public RequestResult {
        reply = reply == null ? null : List.copyOf(reply);
    }

    /**
     * This result as {@code --redact} shows it: the request, the recorded and the new reply with
     * their payloads masked ({@link Redaction}), sizes, frame positions, outcome and where they
     * differ kept. Compare first, mask after: the comparison needs the bytes.
     *
     * <p>Usage: {@code out.println(result.redacted().describe(64)); // #5 c1 (redacted 1 B) → recorded | (redacted 1 B), ...}
     */
    public RequestResult redacted() {
        Request r = new Request((MessageEvent) Redaction.redact(request.recorded()), request.offsetNanos(),
                Redaction.frames(request.send()),
                request.reply() == null ? null : (MessageEvent) Redaction.redact(request.reply()),
                request.expected() == null ? null : Redaction.frames(request.expected()));
        return new RequestResult(conversation, r, outcome, reply == null ? null : Redaction.frames(reply), diff,
                latencyNanos, reason);
    }

    /** One line as the class comment shows, each frame cut at {@code maxBytes}. */
    public String describe(int maxBytes) {
        StringBuilder sb = new StringBuilder();
        sb.append('#').append(request.seq()).append(' ').append(conversation).append(' ')
                .append(frames(request.send(), maxBytes)).append(" → ");
        switch (outcome) {
            case SAME -> sb.append(frames(reply, maxBytes)).append(" (same)");
            case UNRECORDED -> sb.append("now ").append(frames(reply, maxBytes)).append(" (no recorded reply)");
            case UNANSWERED -> sb.append(recorded(maxBytes)).append(", now ").append(reason);
            default -> sb.append(recorded(maxBytes)).append(", now ").append(frames(reply, maxBytes))
                    .append(" (").append(diff.describe()).append(')');
        }
        return sb.toString();
    }

    private String recorded(int maxBytes) {
        return request.expected() == null ? "no recorded reply" : "recorded " + frames(request.expected(), maxBytes);
    }

    /** Frames as every text view shows them: the first empty delimiter as {@code |}. */
    static String frames(List<Frame> frames, int maxBytes) {
        if (frames.isEmpty()) {
            return "(empty message)";
        }
        StringBuilder sb = new StringBuilder();
        boolean delimiter = false;
        for (Frame f : frames) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            if (f.isEmpty() && !delimiter) {
                delimiter = true;
                sb.append('|');
            } else {
                sb.append(FrameText.frame(f, maxBytes));
            }
        }
        return sb.toString();
    }
}
