package io.zmqtap.cli;

import io.zmqtap.BadValueException;
import io.zmqtap.event.CaptureEvent;
import io.zmqtap.filter.Filter;
import io.zmqtap.filter.FilterException;
import io.zmqtap.sink.Ansi;
import io.zmqtap.sink.ConsoleSink;
import io.zmqtap.sink.Detail;
import io.zmqtap.sink.JsonSink;
import io.zmqtap.sink.QuietSink;
import io.zmqtap.sink.RedactingSink;
import io.zmqtap.sink.TimeColumn;
import io.zmqtap.event.Sink;
import io.zmqtap.sink.TerminalResize;
import io.zmqtap.sink.TerminalSize;
import io.zmqtap.sink.TopSink;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.Predicate;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * Output options shared by commands that print events: {@code --json}, {@code --color},
 * {@code --max-bytes}, {@code --stats}, {@code --quiet}, {@code --filter}, {@code --redact} (with the
 * recording's options, {@link WriteOptions}); how much text shows:
 * {@code --detail}, {@code -x}, {@code --time} (docs/output.md).
 */
public final class OutputOptions {
    @Option(names = "--json", description = "Print JSON lines instead of text.")
    boolean json;

    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto",
            description = "Colour: auto (on a terminal), always or never. Default: ${DEFAULT-VALUE}.")
    String color;

    @Option(names = "--max-bytes", paramLabel = "N", defaultValue = "64",
            description = "Show at most N bytes of each frame in text output. Default: ${DEFAULT-VALUE}.")
    int maxBytes;

    @Option(names = {"-q", "--quiet"},
            description = "Print no line per message, command or connection: only notices, protocol errors and the "
                    + "statistics (the summary at the end, running ones with --stats). Everything is still counted.")
    boolean quiet;

    @Option(names = "--stats", paramLabel = "TIME", defaultValue = "0",
            description = "Also print running statistics this often, e.g. 5s or 500ms (0: only the summary at the end).")
    String stats;

    @Option(names = "--filter", paramLabel = "EXPR",
            description = "Show and count only the events EXPR selects, e.g. 'dir in and size > 1KiB' "
                    + "(see docs/filters.md).")
    String filter;

    // recording (--write, --rotate): every command that shows events can also record them
    @Mixin
    WriteOptions recording = new WriteOptions();

    // How much text output shows, and how its time reads (issue 12; docs/output.md)

    @Option(names = "--detail", paramLabel = "LEVEL", defaultValue = "frames", converter = DetailConverter.class,
            description = "How much of each message text shows: summary (as --quiet), messages (one line each, "
                    + "frame sizes but no payload), frames (payloads cut at --max-bytes) or full (the sizes, then "
                    + "every frame whole on a line of its own); see docs/output.md. Text only (JSON lines carry "
                    + "everything), except summary. Default: ${DEFAULT-VALUE}.")
    Detail detail;

    @Option(names = {"-x", "--hex"},
            description = "Under each message, a hexdump of every frame: at most --max-bytes of each, "
                    + "all of it with --detail full. Text only.")
    boolean hex;

    @Option(names = "--time", paramLabel = "MODE", defaultValue = "absolute", converter = TimeConverter.class,
            description = "The time of text lines: absolute (local clock), delta (seconds since the line before), "
                    + "relative (seconds since the first line) or iso (UTC). Text only: JSON's ts is always UTC. "
                    + "Default: ${DEFAULT-VALUE}.")
    TimeColumn.Mode time;

    static final class DetailConverter implements ITypeConverter<Detail> {
        @Override
        public Detail convert(String value) {
            try {
                return Detail.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class TimeConverter implements ITypeConverter<TimeColumn.Mode> {
        @Override
        public TimeColumn.Mode convert(String value) {
            try {
                return TimeColumn.Mode.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** How often {@code --stats} asks for running statistics; zero for the summary at the end only. */
    java.time.Duration statsEvery() {
        return topEvery(Durations.parse("--stats", stats));
    }

    /**
     * A new {@link Filter} for one pipeline (it learns socket types as events pass), or null
     * without {@code --filter}; a bad expression is a {@link BadValueException}: its column and
     * what was expected, then the expression with a caret under the column.
     */
    Predicate<CaptureEvent> filter() {
        return parseFilter(filter);
    }

    /** {@code --filter EXPR} as {@link #filter()} reads it, for a command that takes the option itself (replay). */
    static Predicate<CaptureEvent> parseFilter(String expression) {
        if (expression == null) {
            return null;
        }
        try {
            return Filter.parse(expression);
        } catch (FilterException e) {
            throw new BadValueException("--filter: " + e.getMessage() + "\n" + e.caret("  "));
        }
    }

    Ansi ansi() {
        return json ? Ansi.OFF : Ansi.forMode(color);
    }

    /** The sink these options ask for, writing to {@code out} and flushing after every event. */
    Sink sink(PrintWriter out, boolean showSource) {
        return redacted(quiet(json ? new JsonSink(out) : console(out, showSource, true)));
    }

    /**
     * The same, for a {@link io.zmqtap.pipeline.Pipeline}'s own sink: it flushes when the pipeline
     * has nothing more to deliver, so output is prompt when live and written in blocks when busy.
     */
    Sink pipelineSink(PrintWriter out, boolean showSource) {
        return redacted(quiet(json ? new JsonSink(out, false) : console(out, showSource, false)));
    }

    /** {@code sink} behind {@code --redact}'s mask, when given (the recording's is {@link WriteOptions}'). */
    Sink redacted(Sink sink) {
        return recording.redact ? new RedactingSink(sink) : sink;
    }

    /**
     * The text sink for statistics and notices (on stderr): flushed at every line, its times in the
     * same {@code --time} mode as the events'.
     */
    Sink diagnostics(PrintWriter err, boolean showSource) {
        return redacted(ConsoleSink.builder(err).ansi(ansi()).maxBytes(maxBytes).showSource(showSource)
                .flushEach(true).time(time).build());
    }

    private ConsoleSink console(PrintWriter out, boolean showSource, boolean flushEach) {
        return ConsoleSink.builder(out).ansi(ansi()).maxBytes(maxBytes).showSource(showSource).flushEach(flushEach)
                .detail(detail).hex(hex).time(time).build();
    }

    /** {@code --quiet} and {@code --detail summary} are one level, for text and JSON alike. */
    private Sink quiet(Sink sink) {
        return quiet || detail == Detail.SUMMARY ? new QuietSink(sink) : sink;
    }

    // --top: a live screen instead of a line per event (docs/top.md)

    /** How often {@code --top} redraws without {@code --stats TIME}. */
    static final Duration TOP_EVERY = Duration.ofSeconds(1);

    @Option(names = "--top",
            description = "Instead of a line per event, a screen redrawn every second (or every --stats TIME): the "
                    + "busiest peers by rate, their latency percentiles, drops and unanswered requests. Piped: the same "
                    + "as plain lines each time. Notices show on the screen; the summary is printed at the end.")
    boolean top;

    /** {@code --stats} as given, or {@link #TOP_EVERY} when {@code --top} has no interval of its own. */
    private Duration topEvery(Duration given) {
        return top && given.isZero() ? TOP_EVERY : given;
    }

    /**
     * The {@code --top} sink, or null without {@code --top}: give it every event and the statistics
     * (both: it shows the notices), and it draws a screen per statistics event on stdout, redrawn
     * in place on a terminal, as plain lines when piped. {@code usual} is the sink the statistics
     * would have without {@code --top}: it gets the summary (and the notices). {@code --json} is
     * refused: the screen is for people, {@code --json --stats TIME} is the machines' view.
     */
    Sink top(PrintWriter out, Sink usual) {
        if (!top) {
            return null;
        }
        if (json) {
            throw new BadValueException("--top draws a screen for people and cannot be combined with --json"
                    + " (use --json --stats TIME for statistics lines)");
        }
        boolean screen = System.console() != null && !"dumb".equals(System.getenv("TERM"));
        if (!screen) { // piped: the environment's height, or the default, for the whole run
            TerminalSize size = TerminalSize.detect(System.getenv(), () -> null);
            return redacted(new TopSink(out, false, size, ansi(), usual)); // it shows no payload: masked all the same
        }
        TerminalResize window = new TerminalResize(() -> TerminalSize.detect(System.getenv(), TerminalSize::stty));
        return redacted(new TopSink(out, true, window.onWindowChange(), ansi(), usual));
    }
}
