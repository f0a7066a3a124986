package io.zmqtap.capture;

import java.time.Instant;

/**
 * A remark from a source that is not traffic: a malformed feed message, capture loss, a summary.
 *
 * @param time when it happened
 * @param source which source says it
 * @param level how serious it is
 * @param text one sentence, e.g. {@code "feed message with 1 frame: expected [prefix, id, '', payload]"}
 */
public record NoticeEvent(Instant time, String source, Level level, String text) implements CaptureEvent {
    public enum Level { INFO, WARNING, ERROR }
}
