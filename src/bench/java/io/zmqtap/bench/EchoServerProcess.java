package io.zmqtap.bench;

import java.time.Duration;
import java.util.List;
import org.zeromq.ZContext;

/**
 * The bench's {@link EchoServer} as a process of its own, as a real server runs: one JVM for the
 * whole bench, in front of which every setup is started in turn.
 *
 * <p>The child binds a loopback ephemeral port, prints {@code ready tcp://127.0.0.1:41234}, echoes
 * until its stdin closes, then exits.
 *
 * <p>Usage:
 * <pre>{@code
 * try (EchoServerProcess server = EchoServerProcess.start()) {
 *     setup.start(server.endpoint()) ...
 * }
 * }</pre>
 */
public final class EchoServerProcess implements AutoCloseable {
    static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final String READY = "ready ";

    private final Subprocess process;
    private final String endpoint;

    private EchoServerProcess(Subprocess process, String endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /** Starts the server JVM and waits until it has bound its port. */
    public static EchoServerProcess start() {
        Subprocess p = ChildJvm.start("echo server process", EchoServerProcess.class.getName(), List.of());
        try {
            return new EchoServerProcess(p, p.awaitLine(l -> l.startsWith(READY), READY_TIMEOUT).substring(READY.length()));
        } catch (RuntimeException e) {
            p.stop();
            throw e;
        }
    }

    /** Where clients or proxies connect, e.g. {@code tcp://127.0.0.1:41234}. */
    public String endpoint() {
        return endpoint;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.stop();
    }

    /** The child: an echo server on its own context until stdin closes. */
    public static void main(String[] args) {
        try (ZContext ctx = new ZContext(); EchoServer server = EchoServer.start(ctx)) {
            System.out.println(READY + server.endpoint());
            System.out.flush();
            ChildJvm.awaitStdinClosed();
        }
        System.exit(0); // JeroMQ's reaper threads must not keep the JVM alive
    }
}
