package io.zmqtap.bench;

/**
 * The counting sniffer of one route: a SUB subscribed to a setup's capture feed that counts capture
 * messages (one multipart message is one capture). In the bench's JVM ({@link CaptureCounter}) or
 * in a process of its own ({@link SnifferProcess}); the bench asks the same questions of either.
 *
 * <p>Usage:
 * <pre>{@code
 * try (Sniffer sniffer = testbed.subscribe("tcp://127.0.0.1:41235")) {
 *     ... traffic ...
 *     long seen = CaptureCounter.settle(sniffer::count, expected, Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public interface Sniffer extends AutoCloseable {
    /** Capture messages seen since it subscribed. */
    long count();

    /** Unsubscribes and stops counting. */
    @Override
    void close();
}
