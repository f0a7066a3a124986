package io.zmqtap.event;

import java.time.Instant;

/**
 * A remark from a source that is not traffic: a malformed feed message, capture loss, a server
 * that went away.
 *
 * <p>Usage: {@code new NoticeEvent(Instant.now(), "queue", null, NoticeEvent.Level.WARNING, "server 127.0.0.1:5555 left")}
 *
 * @param time when it happened
 * @param source which source says it
 * @param conn the connection it concerns, or null
 * @param level how serious it is
 * @param text one sentence, e.g. {@code "feed message with 1 frame: expected [prefix, id, '', payload]"}
 */
public record NoticeEvent(Instant time, String source, String conn, Level level, String text) implements CaptureEvent {
    public enum Level { INFO, WARNING, ERROR }

    /** A notice about the source as a whole. */
    public NoticeEvent(Instant time, String source, Level level, String text) {
        this(time, source, null, level, text);
    }
}
