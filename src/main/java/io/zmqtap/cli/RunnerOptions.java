package io.zmqtap.cli;

import io.zmqtap.sink.Ansi;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** Output options of commands that run a proxy in the foreground: {@code --json}, {@code --color}. */
public final class RunnerOptions {
    @Option(names = "--json", description = "Print the start line and summaries as JSON.")
    boolean json;

    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto", description = "auto, always or never.")
    String color;

    ProxyRunner runner(CommandSpec spec) {
        return new ProxyRunner(spec.commandLine().getOut(), spec.commandLine().getErr(), json,
                Ansi.forMode(json ? "never" : color));
    }
}
