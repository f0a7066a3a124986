package io.zmqtap.cli;

import io.zmqtap.ZmqTapException;
import io.zmqtap.pipeline.Pipeline;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The one line a command prints when its outputs threw: a sink that throws is skipped and counted,
 * never stopping the pipeline, but what it was given is lost, and a count in a summary is easy to
 * miss (or is itself what was lost). Commands that print it then exit non-zero.
 *
 * <p>Or when the writer itself failed: a closed pipe or a full disk, which a {@code PrintWriter}
 * swallows, so that no sink ever sees it.
 *
 * <p>Usage: {@code OutputLoss.of(pipeline).or(() -> OutputLoss.of(out)).ifPresent(line -> err.println("zmqtap: " + line));}
 */
final class OutputLoss {
    private OutputLoss() {}

    /** E.g. {@code 1,203 events or summaries could not be written (the first: IllegalStateException: gone)}. */
    static Optional<String> of(Pipeline pipeline) {
        long n = pipeline.sinkFailures();
        if (n == 0) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "%,d event%s or summar%s could not be written (the first: %s)", n,
                n == 1 ? "" : "s", n == 1 ? "y" : "ies", ZmqTapException.oneLine(pipeline.firstSinkFailure())));
    }

    /**
     * E.g. {@code the output could not be written (Broken pipe)}, when {@code out} failed. Flushes
     * {@code out} to find out: not for every event, and not from a thread other than the one
     * writing (it would wait for a writer stuck on a full pipe; see {@link #closed()}).
     */
    static Optional<String> of(PrintWriter out) {
        if (!out.checkError()) {
            return Optional.empty();
        }
        return Optional.of(line(StandardOutput.process().failure())); // the reason, when out is the process's stdout
    }

    /**
     * The same line when a write to the process's standard output failed; asks nothing of the
     * writer, so any thread may look at any time (sniff's and watch's main threads do).
     */
    static Optional<String> closed() {
        IOException cause = StandardOutput.process().failure();
        return cause == null ? Optional.empty() : Optional.of(line(cause));
    }

    /**
     * For a command that carries traffic, which a closed stdout must not stop: once stdout failed,
     * its warning, e.g. {@code the output could not be written (Broken pipe): events are no longer
     * shown; the tap goes on (Ctrl-C to stop)}. As {@link #closed()}, any thread, any time.
     */
    static Optional<String> goingOn(String name) {
        return closed().map(line -> line + ": events are no longer shown; the " + name + " goes on (Ctrl-C to stop)");
    }

    /**
     * Every line a command that ends by itself prints about its outputs: a sink that threw, and a
     * writer that failed, said by {@code stopped} when the command stopped for it (e.g.
     * {@code "the output could not be written (Broken pipe): stopped reading big.pcap"}), else
     * looked for now (a full disk at the last flush).
     */
    static List<String> lines(Pipeline pipeline, PrintWriter out, String stopped) {
        List<String> lines = new ArrayList<>(2);
        of(pipeline).ifPresent(lines::add);
        if (stopped != null) {
            lines.add(stopped);
        } else {
            of(out).ifPresent(lines::add);
        }
        return lines;
    }

    private static String line(IOException cause) {
        return "the output could not be written" + (cause == null ? "" : " (" + cause.getMessage() + ")");
    }
}
