package io.zmqtap.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --busy-poll TIME}, shared by the forwarding commands ({@code queue}, {@code proxy}, {@code tap}). */
public final class BusyPollOption {
    @Option(names = "--busy-poll", paramLabel = "TIME", defaultValue = "100us",
            description = "After traffic, keep polling for the next message this long (yielding the CPU) before "
                    + "sleeping: saves a thread wake-up per hop, lowering added latency, at the cost of CPU while "
                    + "traffic is light but steady. 0 turns it off. Default: ${DEFAULT-VALUE}.")
    String busyPoll;

    /** The spell given, e.g. 100 µs; a one-line error naming the option if it is not a time. */
    Duration spell() {
        return Durations.parse("--busy-poll", busyPoll);
    }
}
