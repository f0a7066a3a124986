package io.zmqtap.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.zmqtap.sink.JsonSink;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code zmqtap queue} as its own process (a second JVM, started from this bench's class path), on
 * the same footing as the {@code libzmq} setup's Python process: ROUTER/DEALER, PUB capture in
 * pyzmq's format, counted by the testbed's sniffer. With {@link Topology#DEPLOYED} this is zmqtap as
 * users run it, and the setup the headline and the queue's targets are taken from.
 *
 * <p>Compared with {@link ZmqtapSetup} (the same engine on a thread of the bench's JVM), it shows
 * what sharing a JVM costs or saves: garbage collection pauses, JIT threads and the scheduler are
 * no longer shared with the load generator. A fresh JVM per run is still compiling, so its runs
 * warm up for {@link BenchConfig#jvmWarmup()} ({@link #startsJvm()}).
 */
public final class ZmqtapProcessSetup implements Setup {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final String MAIN = "io.zmqtap.cli.ZmqTap";

    private final Optional<Duration> busyPoll;

    /** @param busyPoll passed to the queue's {@code --busy-poll}; empty: none, the queue's own default, as deployed */
    public ZmqtapProcessSetup(Optional<Duration> busyPoll) {
        this.busyPoll = busyPoll;
    }

    @Override
    public String name() {
        return Report.ZMQTAP_PROCESS;
    }

    @Override
    public boolean startsJvm() {
        return true;
    }

    @Override
    public Route start(Testbed testbed) {
        List<String> args = new ArrayList<>(List.of("queue", "--json",
                "--in", "@tcp://127.0.0.1:*", "--out", ">" + testbed.serverEndpoint(), "--mon", "@tcp://127.0.0.1:*"));
        busyPoll.ifPresent(spell -> args.addAll(List.of("--busy-poll", spell.toNanos() / 1000 + "us")));
        Subprocess p = ChildJvm.startGuarded("zmqtap queue process", MAIN, args);
        try {
            JsonNode started = parse(p.awaitLine(line -> line.contains("\"started\""), READY_TIMEOUT));
            return CapturedRoute.subscribe(testbed, address(started, "frontend"), address(started, "capture"), p::stop);
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
