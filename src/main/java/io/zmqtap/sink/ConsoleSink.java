package io.zmqtap.sink;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.CommandEvent;
import io.zmqtap.event.ConnectionEvent;
import io.zmqtap.event.Direction;
import io.zmqtap.event.HandshakeEvent;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.event.NoticeEvent;
import io.zmqtap.event.FrameText;
import io.zmqtap.event.ProtocolErrorEvent;
import io.zmqtap.event.Sink;
import io.zmqtap.event.StatisticsEvent;
import io.zmqtap.event.TimeText;
import java.io.PrintWriter;

/**
 * Prints one line per event for people.
 *
 * <pre>
 * 10:15:02.481  in   0x006b8b4567      "3"
 * 10:15:02.482  out  0x006b8b4567      "6"
 * 10:15:03.001  in   client_id_abc     "4"
 * </pre>
 *
 * With {@code showSource}, each line names its connection ({@code c1}) when the source has them, as a tap's do:
 *
 * <pre>
 * 10:15:02.480  c1  in   ready  REQ  ZMTP 3.1 NULL  identity client_id_abc
 * 10:15:02.480  c1  out  ready  REP  ZMTP 3.1 NULL
 * 10:15:02.481  c1  open   127.0.0.1:53122 -> 127.0.0.1:5555  REQ -> REP  ZMTP 3.1 NULL
 * 10:15:02.482  c1  in   client_id_abc     "3"
 * 10:15:02.490  c2  in   SUBSCRIBE "weather"
 * 10:15:02.495  c3  in   ! protocol error at byte 0: ... (decoding stopped, still forwarding)
 * 10:15:04.007  c1  close  127.0.0.1:53122 -> 127.0.0.1:5555  REQ -> REP  ZMTP 3.1 NULL  in 5 msgs 182 B  out 5 msgs 170 B
 * </pre>
 *
 * Time (local), direction, identity (text when printable, else hex; {@code -} when unknown), then
 * the payload frames. Frames longer than {@code maxBytes} are cut and their size shown.
 *
 * <p>Made with {@code flushEach} false, it leaves flushing to {@link #flush()}: a pipeline flushes
 * whenever it has nothing more to deliver, so a live capture prints at once and a capture file is
 * written in large blocks instead of one system call per line.
 */
public final class ConsoleSink implements Sink {
    private final PrintWriter out;
    private final Ansi ansi;
    private final int maxBytes;
    private final boolean showSource;
    private final boolean flushEach;

    /** A sink that flushes after every line. */
    public ConsoleSink(PrintWriter out, Ansi ansi, int maxBytes, boolean showSource) {
        this(out, ansi, maxBytes, showSource, true);
    }

    /** @param flushEach flush after every line; false leaves it to {@link #flush()} (a pipeline's sinks) */
    public ConsoleSink(PrintWriter out, Ansi ansi, int maxBytes, boolean showSource, boolean flushEach) {
        this.out = out;
        this.ansi = ansi;
        this.maxBytes = maxBytes;
        this.showSource = showSource;
        this.flushEach = flushEach;
    }

    public ConsoleSink(PrintWriter out) {
        this(out, Ansi.OFF, 64, false);
    }

    @Override
    public void accept(CaptureEvent event) {
        String prefix = ansi.dim(TimeText.clock(event.time())) + "  " + (showSource && event.conn() != null ? event.conn() + "  " : "");
        String line;
        if (event instanceof MessageEvent m) {
            line = message(prefix, m);
        } else if (event instanceof NoticeEvent n) {
            line = prefix + notice(n);
        } else if (event instanceof ConnectionEvent c) {
            line = prefix + connection(c);
        } else if (event instanceof HandshakeEvent h) {
            line = prefix + direction(h.direction()) + "  " + handshake(h);
        } else if (event instanceof CommandEvent c) {
            line = prefix + direction(c.direction()) + "  " + ansi.bold(c.name())
                    + (c.topic() == null ? "" : " " + FrameText.frame(c.topic(), maxBytes))
                    + (c.detail().isEmpty() ? "" : "  " + c.detail());
        } else if (event instanceof StatisticsEvent st) {
            line = prefix + StatisticsText.lines(st, ansi);
        } else if (event instanceof ProtocolErrorEvent p) {
            line = prefix + direction(p.direction()) + "  "
                    + ansi.red("! protocol error at byte " + p.offset() + ": " + p.message()
                            + " (decoding stopped, still forwarding)");
        } else {
            line = prefix + event;
        }
        // write, not println: println flushes an auto-flushing writer (picocli's is) on every line
        out.write(line);
        out.write(System.lineSeparator());
        if (flushEach) {
            out.flush();
        }
    }

    /** The line most events are: time, conn, direction, identity, frames, latency. */
    private String message(String prefix, MessageEvent m) {
        StringBuilder b = new StringBuilder(prefix.length() + 96).append(prefix)
                .append(direction(m.direction())).append("  ")
                .append(ansi.yellow(pad(FrameText.identity(m.identity()), 16))).append("  ")
                .append(FrameText.message(m, maxBytes));
        if (m.replyTo() > 0) {
            b.append(ansi.dim("  (reply in " + StatisticsText.latency(m.latencyNanos()) + ")"));
        }
        return b.toString();
    }

    private String direction(Direction d) {
        String label = pad(d.label(), 3);
        return switch (d) {
            case IN -> ansi.green(label);
            case OUT -> ansi.cyan(label);
            case UNKNOWN -> label;
        };
    }

    /** {@code open   127.0.0.1:53122 -> 127.0.0.1:5555  REQ -> REP  ZMTP 3.1 NULL}, and totals on close. */
    private String connection(ConnectionEvent c) {
        boolean open = c.kind() == ConnectionEvent.Kind.OPENED;
        String line = (open ? ansi.green("open ") : ansi.cyan("close")) + "  " + c.client() + " -> " + c.upstream()
                + "  " + orUnknown(c.clientSocketType()) + " -> " + orUnknown(c.serverSocketType())
                + "  ZMTP " + orUnknown(c.version()) + " " + orUnknown(c.mechanism());
        if (!open) {
            line += "  in " + c.messagesIn() + " msgs " + c.bytesIn() + " B  out " + c.messagesOut() + " msgs "
                    + c.bytesOut() + " B";
        }
        return line;
    }

    /** {@code ready  REQ  ZMTP 3.1 NULL  identity client_id_abc  Resource "x"}. */
    private String handshake(HandshakeEvent h) {
        StringBuilder sb = new StringBuilder("ready  ");
        sb.append(orUnknown(h.socketType())).append("  ZMTP ").append(h.version()).append(' ').append(h.mechanism());
        if (h.asServer()) {
            sb.append(" as-server");
        }
        if (h.identity() != null) {
            sb.append("  identity ").append(ansi.yellow(FrameText.identity(h.identity())));
        }
        h.properties().forEach((name, value) -> sb.append("  ").append(name).append(' ').append(FrameText.frame(value, maxBytes)));
        return sb.toString();
    }

    private static String orUnknown(String s) {
        return s == null ? "?" : s;
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
    public void flush() {
        out.flush();
    }

    @Override
    public void close() {
        out.flush();
    }
}
