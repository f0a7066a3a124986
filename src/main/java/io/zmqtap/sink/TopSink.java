package io.zmqtap.sink;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.NoticeEvent;
import io.zmqtap.event.ProtocolErrorEvent;
import io.zmqtap.event.Sink;
import io.zmqtap.event.StatisticsEvent;
import io.zmqtap.event.TimeText;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * {@code --top}: each running {@link StatisticsEvent} becomes a {@link TopView} screen. It draws
 * nothing on its own schedule: whoever gives it statistics (a pipeline's {@code statsEvery}, a
 * command's loop) sets the pace.
 *
 * <ul>
 *   <li>On a terminal ({@code screen} true) it switches to the alternate screen, hides the cursor
 *       and redraws in place; notices and protocol errors show in the screen's last lines. The last
 *       statistics (the summary when the source stops) or {@link #close()} restore the terminal;
 *       then the notices it kept and the summary go to {@code fallback} as without {@code --top}.
 *   <li>Piped ({@code screen} false) it prints each screen as plain lines, uncut, and passes
 *       notices, protocol errors and the summary to {@code fallback} at once.
 * </ul>
 *
 * <p>Messages, commands, handshakes and connections are ignored: the statistics count them.
 * Thread-safe: a command's thread may give statistics while the pipeline's gives notices.
 *
 * <p>Usage: {@code Pipeline.builder(src).sink(top).statsSink(top).statsEvery(Duration.ofSeconds(1))}
 * with {@code top = new TopSink(out, true, TerminalSize.DEFAULT, Ansi.ON, new ConsoleSink(err))}.
 */
public final class TopSink implements Sink {
    /** Alternate screen on, cursor hidden. */
    static final String ENTER = "\u001b[?1049h\u001b[?25l";
    /** Cursor shown, alternate screen off: the terminal as it was. */
    static final String LEAVE = "\u001b[?25h\u001b[?1049l";
    static final String HOME = "\u001b[H";
    static final String CLEAR_LINE = "\u001b[K";
    static final String CLEAR_BELOW = "\u001b[J";
    /** Notices kept for the screen and for after it, at most (the latest). */
    static final int KEPT = 20;

    private final PrintWriter out;
    private final boolean screen;
    private final Supplier<TerminalSize> size;
    private final Ansi ansi;
    private final Sink fallback;
    private final Deque<CaptureEvent> notices = new ArrayDeque<>();
    private long noticesLost;
    private StatisticsEvent previous;
    private boolean entered;
    private boolean finished;

    /**
     * @param out where the screen goes (stdout)
     * @param screen redraw in place (a terminal) rather than print plain lines (a pipe)
     * @param size the screen's size; piped, only its rows count (peers listed per interval)
     * @param fallback the sink the statistics and notices would have without {@code --top}; it gets
     *        the summary, and notices as they come (piped) or after the screen (terminal)
     */
    public TopSink(PrintWriter out, boolean screen, TerminalSize size, Ansi ansi, Sink fallback) {
        this(out, screen, () -> size, ansi, fallback);
        Objects.requireNonNull(size);
    }

    /**
     * As {@link #TopSink(PrintWriter, boolean, TerminalSize, Ansi, Sink)}, the size asked for at
     * each redraw, so that the screen follows a resized window (see {@link TerminalResize}).
     */
    public TopSink(PrintWriter out, boolean screen, Supplier<TerminalSize> size, Ansi ansi, Sink fallback) {
        this.out = Objects.requireNonNull(out);
        this.screen = screen;
        this.size = Objects.requireNonNull(size);
        this.ansi = Objects.requireNonNull(ansi);
        this.fallback = Objects.requireNonNull(fallback);
    }

    @Override
    public synchronized void accept(CaptureEvent event) {
        if (finished) {
            return;
        }
        if (event instanceof StatisticsEvent s) {
            if (s.last()) {
                finish(s);
            } else {
                draw(s);
            }
        } else if (event instanceof NoticeEvent || event instanceof ProtocolErrorEvent) {
            if (screen) {
                keep(event);
            } else {
                fallback.accept(event);
            }
        }
    }

    @Override
    public synchronized void flush() {
        out.flush();
    }

    /** Restores the terminal if the screen is still up (a source stopped without a summary); idempotent. */
    @Override
    public synchronized void close() {
        finish(null);
    }

    private void draw(StatisticsEvent s) {
        TerminalSize size = this.size.get();
        if (!screen) {
            for (String line : TopView.lines(s, previous, Integer.MAX_VALUE, size.rows(), ansi, List.of())) {
                out.println(line);
            }
            out.println(); // one screen from the next, in a log
        } else {
            // one column spare: a line filling the last column leaves the cursor pending a wrap,
            // where a terminal's erase-to-end-of-line would eat that column
            List<String> lines = TopView.lines(s, previous, Math.max(1, size.columns() - 1), size.rows(), ansi,
                    noticeLines());
            StringBuilder b = new StringBuilder();
            if (!entered) {
                b.append(ENTER);
                entered = true;
            }
            b.append(HOME);
            for (int i = 0; i < lines.size(); i++) {
                b.append(lines.get(i)).append(CLEAR_LINE).append(i < lines.size() - 1 ? "\r\n" : "");
            }
            out.print(b.append(CLEAR_BELOW));
        }
        out.flush();
        previous = s;
    }

    /** Leaves the screen, then what it showed and the summary go to {@code fallback}; once. */
    private void finish(StatisticsEvent last) {
        if (finished) {
            return;
        }
        finished = true;
        if (entered) {
            out.print(LEAVE);
            out.flush();
            entered = false;
        }
        if (noticesLost > 0) {
            fallback.accept(new NoticeEvent(notices.peekFirst().time(), notices.peekFirst().source(),
                    NoticeEvent.Level.INFO, noticesLost + " earlier notices were shown on the --top screen only"));
        }
        notices.forEach(fallback::accept);
        notices.clear();
        if (last != null) {
            fallback.accept(last);
        }
        fallback.flush();
    }

    private void keep(CaptureEvent notice) {
        if (notices.size() == KEPT) {
            notices.removeFirst();
            noticesLost++;
        }
        notices.addLast(notice);
    }

    private List<String> noticeLines() {
        List<String> lines = new ArrayList<>();
        for (CaptureEvent e : notices) {
            if (e instanceof NoticeEvent n) {
                lines.add(TimeText.clock(n.time()) + "  " + (n.conn() != null ? n.conn() + "  " : "") + n.text());
            } else if (e instanceof ProtocolErrorEvent p) {
                lines.add(TimeText.clock(p.time()) + "  " + (p.conn() != null ? p.conn() + "  " : "")
                        + "protocol error: " + p.message());
            }
        }
        return lines;
    }
}
