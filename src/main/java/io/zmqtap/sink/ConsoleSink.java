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
 * the payload frames. Frames longer than {@code maxBytes} are cut and their size shown. The
 * connection column is as wide as the widest connection seen so far, so {@code c9} and
 * {@code c10} lines keep their columns once {@code c10} has been seen.
 *
 * <p>The {@link Builder} chooses more or less: the {@link Detail} (a message's sizes only, its
 * frames cut, or each frame whole on its own line), a hexdump of every frame under each message
 * ({@link Builder#hex}), and how the time reads ({@link TimeColumn.Mode}). docs/output.md shows each.
 *
 * <p>Made with {@code flushEach} false, it leaves flushing to {@link #flush()}: a pipeline flushes
 * whenever it has nothing more to deliver, so a live capture prints at once and a capture file is
 * written in large blocks instead of one system call per line. Each event is one write, its extra
 * lines included.
 *
 * <p>Feed it from one thread at a time, as a pipeline does: the delta and relative times and the
 * connection column's width remember the lines before, and two threads at once could skew them
 * (never the output's integrity: each event is still one write).
 *
 * <p>Usage: {@code Sink s = ConsoleSink.builder(out).showSource(true).detail(Detail.FULL).hex(true).build();}
 */
public final class ConsoleSink implements Sink {
    private static final String EOL = System.lineSeparator();
    private static final int IDENTITY_WIDTH = 16;
    private static final int LINE_CAPACITY = 256;
    /** A line buffer grown past this (by a long line) is replaced after it, not kept. */
    private static final int LINE_KEPT = 64 * 1024;

    private final PrintWriter out;
    private final Ansi ansi;
    private final int maxBytes;
    private final boolean showSource;
    private final boolean flushEach;
    private final Detail detail;
    private final boolean hex;
    private final TimeColumn time;
    private final String[] directions;
    /** The widest connection name printed so far: narrower ones are padded to it. */
    private int connWidth;
    /** The line being written, and the array it is written through: reused, event after event. */
    private StringBuilder line = new StringBuilder(LINE_CAPACITY);
    private char[] chars = new char[LINE_CAPACITY];

    /** A sink that flushes after every line. */
    public ConsoleSink(PrintWriter out, Ansi ansi, int maxBytes, boolean showSource) {
        this(out, ansi, maxBytes, showSource, true);
    }

    /** @param flushEach flush after every line; false leaves it to {@link #flush()} (a pipeline's sinks) */
    public ConsoleSink(PrintWriter out, Ansi ansi, int maxBytes, boolean showSource, boolean flushEach) {
        this(builder(out).ansi(ansi).maxBytes(maxBytes).showSource(showSource).flushEach(flushEach));
    }

    public ConsoleSink(PrintWriter out) {
        this(out, Ansi.OFF, 64, false);
    }

    private ConsoleSink(Builder b) {
        this.out = b.out;
        this.ansi = b.ansi;
        this.maxBytes = b.maxBytes;
        this.showSource = b.showSource;
        this.flushEach = b.flushEach;
        this.detail = b.detail;
        this.hex = b.hex;
        this.time = new TimeColumn(b.time);
        this.directions = directions(b.ansi);
    }

    /** A sink writing to {@code out}: no colour, 64 bytes of each frame, {@link Detail#FRAMES}, local clock, flushing each line. */
    public static Builder builder(PrintWriter out) {
        return new Builder(out);
    }

    @Override
    public void accept(CaptureEvent event) {
        if (detail == Detail.SUMMARY && !QuietSink.passes(event)) {
            return;
        }
        StringBuilder b = line;
        b.setLength(0);
        ansi.end(time.append(ansi.dim(b), event.time())).append("  ");
        if (showSource && event.conn() != null) {
            conn(b, event.conn());
        }
        int payloadBytes = detail == Detail.FULL ? Integer.MAX_VALUE : maxBytes;
        if (event instanceof MessageEvent m) {
            message(b, m);
        } else if (event instanceof NoticeEvent n) {
            b.append(notice(n));
        } else if (event instanceof ConnectionEvent c) {
            b.append(connection(c));
        } else if (event instanceof HandshakeEvent h) {
            b.append(direction(h.direction())).append("  ").append(handshake(h, payloadBytes));
        } else if (event instanceof CommandEvent c) {
            b.append(direction(c.direction())).append("  ").append(ansi.bold(c.name()));
            if (c.topic() != null) {
                b.append(' ').append(FrameText.frame(c.topic(), payloadBytes));
            }
            if (!c.detail().isEmpty()) {
                b.append("  ").append(c.detail());
            }
        } else if (event instanceof StatisticsEvent st) {
            b.append(StatisticsText.lines(st, ansi));
        } else if (event instanceof ProtocolErrorEvent p) {
            b.append(direction(p.direction())).append("  ")
                    .append(ansi.red("! protocol error at byte " + p.offset() + ": " + p.message()
                            + " (decoding stopped, still forwarding)"));
        } else {
            b.append(event);
        }
        if (!(event instanceof MessageEvent)) {
            b.append(EOL);
        }
        // one write per event, not println: println flushes an auto-flushing writer (picocli's is) on every line
        write(b);
        if (flushEach) {
            out.flush();
        }
    }

    /**
     * Writes the line through a reused array, making no string per line: the garbage of millions of
     * lines (a capture file) pushed the decoders' state out of the cache.
     */
    private void write(StringBuilder b) {
        int n = b.length();
        if (n > chars.length) {
            chars = new char[Math.max(n, 2 * chars.length)];
        }
        b.getChars(0, n, chars, 0);
        out.write(chars, 0, n);
        if (b.capacity() > LINE_KEPT) {
            line = new StringBuilder(LINE_CAPACITY); // a rare long line (a full hex dump) is not kept
            chars = new char[LINE_CAPACITY];
        }
    }

    /** {@code c7}, padded to the widest connection so far, and the gap to the next column. */
    private void conn(StringBuilder b, String conn) {
        b.append(conn);
        if (conn.length() > connWidth) {
            connWidth = conn.length();
        }
        for (int i = conn.length(); i < connWidth; i++) {
            b.append(' ');
        }
        b.append("  ");
    }

    /**
     * The line most events are: time, conn, direction, identity, frames (or their sizes), latency;
     * then, at {@link Detail#FULL} or with {@code hex}, a line per frame and its dump.
     */
    private void message(StringBuilder b, MessageEvent m) {
        b.append(direction(m.direction())).append("  ");
        String identity = FrameText.identity(m.identity());
        if (ansi.enabled()) {
            b.append(ansi.yellow(pad(identity, IDENTITY_WIDTH)));
        } else {
            b.append(identity);
            for (int i = identity.length(); i < IDENTITY_WIDTH; i++) {
                b.append(' ');
            }
        }
        b.append("  ");
        if (detail == Detail.FRAMES) {
            FrameText.appendMessage(b, m, maxBytes);
        } else {
            FrameLines.sizes(b, m);
        }
        if (m.replyTo() > 0) {
            ansi.end(ansi.dim(b).append("  (reply in ").append(StatisticsText.latency(m.latencyNanos())).append(')'));
        }
        b.append(EOL);
        if (detail == Detail.FULL || hex) {
            FrameLines.frames(b, m, detail == Detail.FULL, !hex ? -1 : detail == Detail.FULL ? Integer.MAX_VALUE : maxBytes, EOL);
        }
    }

    private String direction(Direction d) {
        return directions[d.ordinal()];
    }

    /** Each direction's label, padded and coloured once instead of on every line. */
    private static String[] directions(Ansi ansi) {
        String[] labels = new String[Direction.values().length];
        for (Direction d : Direction.values()) {
            String label = pad(d.label(), 3);
            labels[d.ordinal()] = switch (d) {
                case IN -> ansi.green(label);
                case OUT -> ansi.cyan(label);
                case UNKNOWN -> label;
            };
        }
        return labels;
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
    private String handshake(HandshakeEvent h, int payloadBytes) {
        StringBuilder sb = new StringBuilder("ready  ");
        sb.append(orUnknown(h.socketType())).append("  ZMTP ").append(h.version()).append(' ').append(h.mechanism());
        if (h.asServer()) {
            sb.append(" as-server");
        }
        if (h.identity() != null) {
            sb.append("  identity ").append(ansi.yellow(FrameText.identity(h.identity())));
        }
        h.properties().forEach((name, value) -> sb.append("  ").append(name).append(' ').append(FrameText.frame(value, payloadBytes)));
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

    /** Chooses what a {@link ConsoleSink} prints; every setting has the default the class comment names. */
    public static final class Builder {
        private final PrintWriter out;
        private Ansi ansi = Ansi.OFF;
        private int maxBytes = 64;
        private boolean showSource;
        private boolean flushEach = true;
        private Detail detail = Detail.FRAMES;
        private boolean hex;
        private TimeColumn.Mode time = TimeColumn.Mode.ABSOLUTE;

        private Builder(PrintWriter out) {
            this.out = out;
        }

        /** Colours, or {@link Ansi#OFF} (the default) for none. */
        public Builder ansi(Ansi ansi) {
            this.ansi = ansi;
            return this;
        }

        /** The most bytes of each frame shown, and dumped with {@link #hex}, below {@link Detail#FULL}. */
        public Builder maxBytes(int maxBytes) {
            this.maxBytes = maxBytes;
            return this;
        }

        /** Name each event's connection ({@code c1}) when it has one. */
        public Builder showSource(boolean showSource) {
            this.showSource = showSource;
            return this;
        }

        /** Flush after every event (the default); false leaves it to {@link ConsoleSink#flush()}. */
        public Builder flushEach(boolean flushEach) {
            this.flushEach = flushEach;
            return this;
        }

        public Builder detail(Detail detail) {
            this.detail = detail;
            return this;
        }

        /** A hexdump of every frame under each message. */
        public Builder hex(boolean hex) {
            this.hex = hex;
            return this;
        }

        public Builder time(TimeColumn.Mode time) {
            this.time = time;
            return this;
        }

        public ConsoleSink build() {
            return new ConsoleSink(this);
        }
    }
}
