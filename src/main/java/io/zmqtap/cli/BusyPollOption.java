package io.zmqtap.cli;

import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --busy-poll TIME}, shared by the forwarding commands ({@code queue}, {@code proxy}, {@code tap}). */
public final class BusyPollOption {
    @Option(names = "--busy-poll", paramLabel = "TIME",
            description = "After traffic, keep polling for the next message this long (yielding the CPU) before "
                    + "sleeping: saves a thread wake-up per hop, lowering added latency, at the cost of CPU while "
                    + "traffic is light but steady. 0 turns it off. Default: 100us for queue and proxy, 200us for tap.")
    String busyPoll;

    /** The spell given, if one was; a one-line error naming the option if it is not a time. */
    public Optional<Duration> given() {
        return busyPoll == null ? Optional.empty() : Optional.of(Durations.parse("--busy-poll", busyPoll));
    }

    /** The spell given, e.g. 100 µs, or {@code fallback} when none was. */
    Duration spell(Duration fallback) {
        return given().orElse(fallback);
    }
}
