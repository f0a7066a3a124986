package io.zmqtap.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.zmqtap.proxy.MonitoredQueue;
import io.zmqtap.sink.JsonSink;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code zmqtap queue} as its own process (a second JVM, started from this bench's class path), on
 * the same footing as the {@code libzmq} setup's Python process: ROUTER/DEALER, PUB capture in
 * pyzmq's format, counted by the bench's subscriber.
 *
 * <p>Compared with {@link ZmqtapSetup} (the same engine on a thread of the bench's JVM), it shows
 * what sharing a JVM costs or saves: garbage collection pauses, JIT threads and the scheduler are
 * no longer shared with the load generator and the echo server.
 */
public final class ZmqtapProcessSetup implements Setup {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final String MAIN = "io.zmqtap.cli.ZmqTap";

    private final Duration busyPoll;

    /** @param busyPoll passed to the queue's {@code --busy-poll}; empty: the queue's default */
    public ZmqtapProcessSetup(Optional<Duration> busyPoll) {
        this.busyPoll = busyPoll.orElse(MonitoredQueue.DEFAULT_BUSY_POLL);
    }

    @Override
    public String name() {
        return "zmqtap-process";
    }

    @Override
    public Route start(String serverEndpoint) {
        String java = ProcessHandle.current().info().command().orElse("java");
        Subprocess p = Subprocess.start("zmqtap queue process", List.of(java, "-cp",
                System.getProperty("java.class.path"), MAIN, "queue", "--json",
                "--in", "@tcp://127.0.0.1:*", "--out", ">" + serverEndpoint, "--mon", "@tcp://127.0.0.1:*",
                "--busy-poll", busyPoll.toNanos() / 1000 + "us"), false);
        try {
            JsonNode started = parse(p.awaitLine(line -> line.contains("\"started\""), READY_TIMEOUT));
            return CapturedRoute.subscribe(address(started, "frontend"), address(started, "capture"), p::stop);
        } catch (RuntimeException e) {
            p.stop();
            throw e;
        }
    }

    private static JsonNode parse(String line) {
        try {
            return JsonSink.mapper().readTree(line);
        } catch (IOException e) {
            throw new IllegalStateException("zmqtap queue printed an unreadable start line: " + line, e);
        }
    }

    /** The first endpoint of a role, {@code @tcp://127.0.0.1:41234} becoming {@code tcp://127.0.0.1:41234}. */
    private static String address(JsonNode started, String role) {
        return ZmqtapSetup.address(started.path(role).path(0).asText());
    }
}
