package io.zmqtap.sink;

import io.zmqtap.event.Frame;
import io.zmqtap.event.FrameText;
import io.zmqtap.event.MessageEvent;
import java.util.List;

/**
 * The parts of a console message that go beyond one line of payload: the sizes the
 * {@link Detail#MESSAGES} line shows instead of the payload, and one line per frame
 * ({@link Detail#FULL}, or {@code -x}) with its hexdump under it.
 *
 * <pre>
 * 2 frames  1 B  [0 1]
 *     frame 1/2  more  0 B  |
 *     frame 2/2  last  1 B  "3"
 *       0000  33                                                |3|
 * </pre>
 *
 * <p>A frame line says where the MORE flag was: {@code more} on every frame but the last. The
 * routing id a ROUTER put in front is marked {@code (routing id)}. A dump shows at most
 * {@code dumpBytes} bytes and ends with {@code …(1000 B, 64 shown)} when that is not all of the frame.
 *
 * <p>Usage: {@code FrameLines.sizes(sb, message); FrameLines.frames(sb, message, true, 64, "\n")}
 */
final class FrameLines {
    /** Frame sizes listed on a {@link Detail#MESSAGES} line before the rest is elided. */
    static final int MAX_SIZES = 16;

    private static final String FRAME_INDENT = "    ";
    private static final String DUMP_INDENT = "      ";

    private FrameLines() {}

    /** {@code 3 frames  6 B  [5 0 1]}: the frame count, the total size and each frame's size on the wire. */
    static StringBuilder sizes(StringBuilder b, MessageEvent m) {
        List<Frame> frames = m.frames();
        b.append(frames.size()).append(frames.size() == 1 ? " frame  " : " frames  ").append(m.size()).append(" B  [");
        for (int i = 0; i < frames.size(); i++) {
            if (i == MAX_SIZES) {
                b.append(" …");
                break;
            }
            if (i > 0) {
                b.append(' ');
            }
            b.append(frames.get(i).size());
        }
        return b.append(']');
    }

    /**
     * One line per frame of {@code m}, each followed by its hexdump when {@code dumpBytes} is not
     * negative; each line ends with {@code eol}.
     *
     * @param payload show each frame's whole payload (text or hex) on its line
     * @param dumpBytes the most bytes of each frame to dump, or -1 for no dump
     */
    static StringBuilder frames(StringBuilder b, MessageEvent m, boolean payload, int dumpBytes, String eol) {
        List<Frame> frames = m.frames();
        int count = frames.size();
        int indexWidth = digits(count);
        int sizeWidth = 1;
        for (Frame f : frames) {
            sizeWidth = Math.max(sizeWidth, digits(f.size()));
        }
        int delimiter = m.delimiter();
        for (int i = 0; i < count; i++) {
            Frame f = frames.get(i);
            b.append(FRAME_INDENT).append("frame ");
            padLeft(b, i + 1, indexWidth).append('/').append(count).append(i < count - 1 ? "  more  " : "  last  ");
            padLeft(b, f.size(), sizeWidth).append(" B");
            if (payload) {
                b.append("  ").append(i == delimiter ? "|" : FrameText.frame(f, Integer.MAX_VALUE));
            }
            if (i == 0 && m.routed()) {
                b.append("  (routing id)");
            }
            b.append(eol);
            if (dumpBytes >= 0) {
                dump(b, f, dumpBytes, eol);
            }
        }
        return b;
    }

    /** The hexdump of at most {@code maxBytes} of {@code f}, and what was left out. */
    private static void dump(StringBuilder b, Frame f, int maxBytes, String eol) {
        if (f.isRedacted()) {
            b.append(DUMP_INDENT).append(FrameText.redacted(f)).append(eol);
            return;
        }
        byte[] data = f.data();
        int shown = Math.min(maxBytes, data.length);
        HexDump.append(b, data, shown, DUMP_INDENT, eol);
        if (shown < f.size()) {
            b.append(DUMP_INDENT).append("…(").append(f.size()).append(" B, ").append(shown).append(" shown)").append(eol);
        }
    }

    private static StringBuilder padLeft(StringBuilder b, long value, int width) {
        for (int d = digits(value); d < width; d++) {
            b.append(' ');
        }
        return b.append(value);
    }

    private static int digits(long value) {
        int d = 1;
        while (value >= 10) {
            value /= 10;
            d++;
        }
        return d;
    }
}
