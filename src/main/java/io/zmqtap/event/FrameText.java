package io.zmqtap.event;

import java.util.Arrays;
import java.util.List;

/**
 * The frame-to-text rules every text view shares: {@code "text"} when printable UTF-8 (see
 * {@link Frame}), {@code 0x00a1b2} otherwise, cut at a width with the true size shown.
 *
 * <p>A message shows every frame. The routing id a ROUTER put in front is the identity column, so
 * it is not repeated; the first empty delimiter is shown as {@code |}, so {@code ["hop1", "", "x"]}
 * reads {@code "hop1" | "x"}, {@code ["", "x"]} reads {@code | "x"}, and {@code ["x"]} reads {@code "x"}.
 *
 * <p>Usage: {@code FrameText.message(event, 64) // "hop1" | "x"}
 */
public final class FrameText {
    private FrameText() {}

    /** An identity: bare text when printable, else {@code 0x} + hex; {@code -} when absent. */
    public static String identity(Frame f) {
        if (f == null) {
            return "-";
        }
        String t = f.isEmpty() ? null : f.printable();
        return t != null ? escape(t) : "0x" + f.hex();
    }

    /** A frame: quoted text or hex, at most {@code maxBytes} shown, with the true size when cut. */
    public static String frame(Frame f, int maxBytes) {
        return appendFrame(new StringBuilder(), f, maxBytes).toString();
    }

    /**
     * Appends {@link #frame(Frame, int)}'s text to {@code b}. A whole frame of printable ASCII (most
     * frames) is appended from its bytes, making no string of its own: a capture file prints
     * millions, and their garbage pushed the decoders' state out of the cache.
     */
    public static StringBuilder appendFrame(StringBuilder b, Frame f, int maxBytes) {
        byte[] d = f.data();
        if (!f.isRedacted() && d.length <= maxBytes && !f.truncated() && plainAscii(d)) {
            b.append('"');
            for (byte c : d) {
                b.append((char) c);
            }
            return b.append('"');
        }
        return b.append(framed(f, maxBytes));
    }

    /** Printable ASCII only (0x20 to 0x7e): shown as it is, nothing to escape or decode. */
    private static boolean plainAscii(byte[] d) {
        for (byte c : d) {
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static String framed(Frame f, int maxBytes) {
        if (f.isRedacted()) {
            return redacted(f);
        }
        byte[] d = f.data();
        boolean cut = d.length > maxBytes || f.truncated();
        Frame shown = d.length > maxBytes ? new Frame(Arrays.copyOf(d, maxBytes), f.size()) : f;
        String t = shown.printable();
        String body = t != null ? '"' + escape(t) + '"' : "0x" + shown.hex();
        return cut ? body + "…(" + f.size() + " B)" : body;
    }

    /** A frame masked by {@code --redact}: {@code (redacted 12 B)}, its size and nothing of its bytes. */
    public static String redacted(Frame f) {
        return "(redacted " + f.size() + " B)";
    }

    /** Frames one after another, separated by spaces. */
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

    /** Every frame of {@code m} as the class comment shows; {@code (empty message)} when it has none. */
    public static String message(MessageEvent m, int maxBytes) {
        return appendMessage(new StringBuilder(), m, maxBytes).toString();
    }

    /** Appends {@link #message(MessageEvent, int)}'s text to {@code b}. */
    public static StringBuilder appendMessage(StringBuilder b, MessageEvent m, int maxBytes) {
        List<Frame> frames = m.frames();
        int delimiter = m.delimiter();
        int start = b.length();
        for (int i = m.routed() ? 1 : 0; i < frames.size(); i++) {
            if (b.length() > start) {
                b.append(' ');
            }
            if (i == delimiter) {
                b.append('|');
            } else {
                appendFrame(b, frames.get(i), maxBytes);
            }
        }
        return b.length() == start ? b.append("(empty message)") : b;
    }

    /** Keeps one event on one line: newline, carriage return and tab as {@code \n}, {@code \r}, {@code \t}. */
    static String escape(String s) {
        if (s.indexOf('\n') < 0 && s.indexOf('\r') < 0 && s.indexOf('\t') < 0) {
            return s;
        }
        return s.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
    }
}
