package io.zmqtap.cli;

import io.zmqtap.BadValueException;
import io.zmqtap.event.CaptureEvent;
import io.zmqtap.filter.Filter;
import io.zmqtap.filter.FilterException;
import io.zmqtap.sink.Ansi;
import io.zmqtap.sink.ConsoleSink;
import io.zmqtap.sink.JsonSink;
import io.zmqtap.sink.QuietSink;
import io.zmqtap.event.Sink;
import java.io.PrintWriter;
import java.util.function.Predicate;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Output options shared by commands that print events: {@code --json}, {@code --color},
 * {@code --max-bytes}, {@code --stats}, {@code --quiet}, {@code --filter}.
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

    /** How often {@code --stats} asks for running statistics; zero for the summary at the end only. */
    java.time.Duration statsEvery() {
        return Durations.parse("--stats", stats);
    }

    /**
     * A new {@link Filter} for one pipeline (it learns socket types as events pass), or null
     * without {@code --filter}; a bad expression is a {@link BadValueException}: its column and
     * what was expected, then the expression with a caret under the column.
     */
    Predicate<CaptureEvent> filter() {
        if (filter == null) {
            return null;
        }
        try {
            return Filter.parse(filter);
        } catch (FilterException e) {
            throw new BadValueException("--filter: " + e.getMessage() + "\n" + e.caret("  "));
        }
    }

    Ansi ansi() {
        return json ? Ansi.OFF : Ansi.forMode(color);
    }

    /** The sink these options ask for, writing to {@code out} and flushing after every event. */
    Sink sink(PrintWriter out, boolean showSource) {
        return quiet(json ? new JsonSink(out) : new ConsoleSink(out, ansi(), maxBytes, showSource));
    }

    /**
     * The same, for a {@link io.zmqtap.pipeline.Pipeline}'s own sink: it flushes when the pipeline
     * has nothing more to deliver, so output is prompt when live and written in blocks when busy.
     */
    Sink pipelineSink(PrintWriter out, boolean showSource) {
        return quiet(json ? new JsonSink(out, false) : new ConsoleSink(out, ansi(), maxBytes, showSource, false));
    }

    private Sink quiet(Sink sink) {
        return quiet ? new QuietSink(sink) : sink;
    }
}
