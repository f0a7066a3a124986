package io.zmqtap.sink;

import io.zmqtap.capture.Frame;
import java.util.List;

/** Short human forms of frames: {@code "text"} when printable, {@code 0x00a1b2} otherwise, cut at a width. */
public final class FrameText {
    private FrameText() {}

    /** An identity: bare text when printable, else {@code 0x} + hex; {@code -} when absent. */
    public static String identity(Frame f) {
        if (f == null) {
            return "-";
        }
        return f.isText() && !f.isEmpty() ? f.text() : "0x" + f.hex();
    }

    /** A payload frame: quoted text or hex, at most {@code maxBytes} shown, with the true size when cut. */
    public static String frame(Frame f, int maxBytes) {
        byte[] d = f.data();
        boolean cut = d.length > maxBytes || f.truncated();
        Frame shown = d.length > maxBytes ? new Frame(java.util.Arrays.copyOf(d, maxBytes), f.size()) : f;
        String body = shown.isText() ? '"' + shown.text() + '"' : "0x" + shown.hex();
        return cut ? body + "…(" + f.size() + " B)" : body;
    }

    public static String frames(List<Frame> frames, int maxBytes) {
        StringBuilder sb = new StringBuilder();
        for (Frame f : frames) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(frame(f, maxBytes));
        }
        return sb.toString();
    }
}
