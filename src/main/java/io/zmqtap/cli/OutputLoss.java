package io.zmqtap.cli;

import io.zmqtap.ZmqTapException;
import io.zmqtap.pipeline.Pipeline;
import java.util.Locale;
import java.util.Optional;

/**
 * The one line a command prints when its outputs threw: a sink that throws is skipped and counted,
 * never stopping the pipeline, but what it was given is lost, and a count in a summary is easy to
 * miss (or is itself what was lost). Commands that print it then exit non-zero.
 *
 * <p>Usage: {@code OutputLoss.of(pipeline).ifPresent(line -> err.println("zmqtap: " + line));}
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
}
