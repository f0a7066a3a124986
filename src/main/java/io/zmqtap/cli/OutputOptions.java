package io.zmqtap.cli;

import io.zmqtap.sink.Ansi;
import io.zmqtap.sink.ConsoleSink;
import io.zmqtap.sink.JsonSink;
import io.zmqtap.event.Sink;
import java.io.PrintWriter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Output options shared by commands that print events: {@code --json}, {@code --color}, {@code --max-bytes}, {@code --stats}. */
public final class OutputOptions {
    @Option(names = "--json", description = "Print JSON lines instead of text.")
    boolean json;

    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto",
            description = "Colour: auto (on a terminal), always or never. Default: ${DEFAULT-VALUE}.")
    String color;

    @Option(names = "--max-bytes", paramLabel = "N", defaultValue = "64",
            description = "Show at most N bytes of each frame in text output. Default: ${DEFAULT-VALUE}.")
    int maxBytes;

    @Option(names = "--stats", paramLabel = "TIME", defaultValue = "0",
            description = "Also print running statistics this often, e.g. 5s or 500ms (0: only the summary at the end).")
    String stats;

    // recording (--write, --rotate): every command that shows events can also record them
    @Mixin
    WriteOptions recording = new WriteOptions();

    /** How often {@code --stats} asks for running statistics; zero for the summary at the end only. */
    java.time.Duration statsEvery() {
        return Durations.parse("--stats", stats);
    }

    Ansi ansi() {
        return json ? Ansi.OFF : Ansi.forMode(color);
    }

    /** The sink these options ask for, writing to {@code out}. */
    Sink sink(PrintWriter out, boolean showSource) {
        return json ? new JsonSink(out) : new ConsoleSink(out, ansi(), maxBytes, showSource);
    }
}
