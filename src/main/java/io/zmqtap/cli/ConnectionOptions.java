package io.zmqtap.cli;

import io.zmqtap.BadValueException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import picocli.CommandLine.Option;

/**
 * The limits of a command that accepts connections itself ({@code queue} and {@code proxy} on the
 * wire engine, {@code tap}): {@code --max-connections}, {@code --backlog}, {@code --handshake-timeout}.
 * Each is empty unless given, so that each component keeps its own default.
 *
 * <p>Usage: {@code connections.maxConnections().ifPresent(builder::maxConnections);}
 */
public final class ConnectionOptions {
    @Option(names = "--max-connections", paramLabel = "N",
            description = "Accept at most this many connections at once; a client beyond it is closed at once, with a "
                    + "notice. Default: 10000 for queue and proxy, 1024 for tap (each tapped connection takes two file "
                    + "descriptors).")
    Integer maxConnections;

    @Option(names = "--backlog", paramLabel = "N",
            description = "Ask the kernel for an accept queue this long on each listening socket, so a burst of "
                    + "connects is not refused or retried. Default: 1024.")
    Integer backlog;

    @Option(names = "--handshake-timeout", paramLabel = "TIME",
            description = "Drop a connection, with a notice, whose ZMTP handshake is not through this long after it was "
                    + "accepted (0: never). Default: 30s, as libzmq.")
    String handshakeTimeout;

    /** {@code --max-connections}, if given; a number below 1 is a one-line usage error. */
    OptionalInt maxConnections() {
        return atLeastOne("--max-connections", maxConnections);
    }

    /** {@code --backlog}, if given; a number below 1 is a one-line usage error. */
    OptionalInt backlog() {
        return atLeastOne("--backlog", backlog);
    }

    /** {@code --handshake-timeout}, if given. */
    Optional<Duration> handshakeTimeout() {
        return handshakeTimeout == null ? Optional.empty()
                : Optional.of(Durations.parse("--handshake-timeout", handshakeTimeout));
    }

    private static OptionalInt atLeastOne(String option, Integer value) {
        if (value == null) {
            return OptionalInt.empty();
        }
        if (value < 1) {
            throw new BadValueException("bad " + option + " " + value + ": expected a number >= 1");
        }
        return OptionalInt.of(value);
    }
}
