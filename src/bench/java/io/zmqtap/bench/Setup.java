package io.zmqtap.bench;

import java.util.Optional;

/**
 * One way of putting something between the bench client and the echo server: nothing at all
 * ({@link DirectSetup}), zmqtap's monitored queue (in the bench's JVM or as its own process),
 * pyzmq's, JeroMQ's {@code ZMQ.proxy}, the wire tap. Adding a contender means adding one
 * implementation.
 *
 * <p>Usage:
 * <pre>{@code
 * Setup setup = new JeromqProxySetup();
 * try (Setup.Route route = setup.start(testbed)) {
 *     LoadGenerator.connect(ctx, route.clientEndpoint(), load) ...
 *     route.settleCaptures(expected);
 * }
 * }</pre>
 */
public interface Setup {
    /** The name used in tables, JSON and {@code --setups}, e.g. {@code zmqtap}. */
    String name();

    /** Why this setup cannot run here (e.g. python3-zmq missing), or empty when it can. */
    default Optional<String> unavailable() {
        return Optional.empty();
    }

    /**
     * True when every start begins a fresh JVM ({@code zmqtap-process}): its runs warm up for at
     * least {@link BenchConfig#jvmWarmup()}, so the JIT has compiled the forwarding path before
     * anything is measured.
     */
    default boolean startsJvm() {
        return false;
    }

    /**
     * Starts the setup in front of the testbed's echo server (a {@code tcp://127.0.0.1:port}),
     * its capture feed counted by a sniffer of the testbed ({@link CapturedRoute}); everything it
     * binds is on loopback ephemeral ports. A setup owns its contexts and processes, so it shares
     * no I/O thread with the bench's client and server.
     */
    Route start(Testbed testbed);

    /** A started setup: where clients connect and what its capture feed carried. */
    interface Route extends AutoCloseable {
        /** The address the load generator connects to. */
        String clientEndpoint();

        /** True when this route publishes a capture feed, counted by {@link #captured()}. */
        boolean captures();

        /** Capture messages counted so far (0 without a capture feed). */
        long captured();

        /**
         * Drops the capture subscriber's connection and subscribes anew (after a subscription that
         * never delivered); does nothing without a capture feed.
         */
        default void resubscribe() {}

        /**
         * Waits for captures still in flight and returns how many arrived in total: stops as soon
         * as {@code expected} arrived, or when the feed went quiet.
         */
        long settleCaptures(long expected);

        /**
         * Captures the proxy itself dropped and counted since it started (its capture socket was
         * full: a subscriber behind by the capture high-water mark), or -1 when it does not say.
         */
        default long proxyDropped() {
            return -1;
        }

        /** Stops everything the setup started. */
        @Override
        void close();
    }
}
