package io.zmqtap.sink;

import io.zmqtap.capture.CaptureEvent;
import io.zmqtap.capture.Direction;
import io.zmqtap.capture.MessageEvent;
import io.zmqtap.capture.NoticeEvent;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Prints one line per event for people.
 *
 * <pre>
 * 10:15:02.481  in   0x006b8b4567      "3"
 * 10:15:02.482  out  0x006b8b4567      "6"
 * 10:15:03.001  in   client_id_abc     "4"
 * </pre>
 *
 * Time (local), direction, identity (text when printable, else hex; {@code -} when unknown), then
 * the payload frames. Frames longer than {@code maxBytes} are cut and their size shown.
 */
public final class ConsoleSink implements Sink {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    private final PrintWriter out;
    private final Ansi ansi;
    private final int maxBytes;
    private final boolean showSource;

    public ConsoleSink(PrintWriter out, Ansi ansi, int maxBytes, boolean showSource) {
        this.out = out;
        this.ansi = ansi;
        this.maxBytes = maxBytes;
        this.showSource = showSource;
    }

    public ConsoleSink(PrintWriter out) {
        this(out, Ansi.OFF, 64, false);
    }

    @Override
    public void accept(CaptureEvent event) {
        String prefix = ansi.dim(TIME.format(event.time())) + "  " + (showSource ? event.source() + "  " : "");
        String line;
        if (event instanceof MessageEvent m) {
            line = prefix + direction(m.direction()) + "  "
                    + ansi.yellow(pad(FrameText.identity(m.identity()), 16)) + "  "
                    + FrameText.frames(m.body(), maxBytes);
        } else if (event instanceof NoticeEvent n) {
            line = prefix + notice(n);
        } else {
            line = prefix + event;
        }
        out.println(line);
        out.flush();
    }

    private String direction(Direction d) {
        String label = pad(d.label(), 3);
        return switch (d) {
            case IN -> ansi.green(label);
            case OUT -> ansi.cyan(label);
            case UNKNOWN -> label;
        };
    }

    private String notice(NoticeEvent n) {
        String text = "! " + n.text();
        return switch (n.level()) {
            case INFO -> ansi.dim(text);
            case WARNING -> ansi.yellow(text);
            case ERROR -> ansi.red(text);
        };
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    @Override
    public void close() {
        out.flush();
    }
}
