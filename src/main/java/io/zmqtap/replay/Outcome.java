package io.zmqtap.replay;

import java.util.Locale;

/** What became of one replayed request. */
public enum Outcome {
    /** The new reply is the recorded one, frame for frame. */
    SAME,
    /** The new reply differs from the recorded one (see {@link ReplyDiff}). */
    DIFFERS,
    /** No reply came within the timeout (or the request could not be sent in that time). */
    UNANSWERED,
    /** A reply came, but the recording had none to compare it with. */
    UNRECORDED;

    /** The name in reports and JSON: {@code same}, {@code differs}, {@code unanswered}, {@code unrecorded}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
