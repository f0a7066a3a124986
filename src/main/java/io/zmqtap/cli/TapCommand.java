package io.zmqtap.cli;

import io.zmqtap.BadValueException;
import io.zmqtap.sink.Ansi;
import io.zmqtap.sink.ConsoleSink;
import io.zmqtap.sink.JsonSink;
import io.zmqtap.event.Sink;
import io.zmqtap.tap.Route;
import io.zmqtap.tap.WireTap;
import io.zmqtap.zmtp.ZmtpDecoder;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code zmqtap tap}: a transparent tap between ZeroMQ peers ({@code tcp://} or {@code ipc://}) that
 * shows the ZMTP traffic.
 *
 * <pre>
 * zmqtap tap --listen tcp://127.0.0.1:4444 --upstream tcp://127.0.0.1:5555
 * zmqtap tap --listen tcp://*:4444 --upstream tcp://a:5555 --listen tcp://*:4445 --upstream tcp://b:5556 --json
 * zmqtap tap --listen ipc:///tmp/tap.sock --upstream ipc:///tmp/server.sock --max-connections 200
 * </pre>
 */
@Command(
        name = "tap",
        mixinStandardHelpOptions = true,
        header = "Forward ZeroMQ connections to a peer and show their ZMTP traffic.",
        description = {
            "Forward connections (tcp:// or ipc://) to a ZeroMQ peer unchanged and show the ZMTP traffic on them.",
            "Point the client at --listen instead of the server; each --listen forwards to the --upstream after it."
        })
public final class TapCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--listen", required = true, paramLabel = "ENDPOINT",
            description = "Accept clients here, e.g. tcp://127.0.0.1:4444 or ipc:///tmp/tap.sock (repeatable; port 0 picks one).")
    List<String> listen = new ArrayList<>();

    @Option(names = "--upstream", required = true, paramLabel = "ENDPOINT",
            description = "Forward the connections of the matching --listen here, e.g. tcp://127.0.0.1:5555 or ipc:///tmp/server.sock.")
    List<String> upstream = new ArrayList<>();

    @Option(names = "--json", description = "Write JSON lines instead of text.")
    boolean json;

    @Option(names = "--max-frame", paramLabel = "BYTES", defaultValue = "" + ZmtpDecoder.DEFAULT_MAX_FRAME,
            description = "Keep at most this many bytes of each frame in events (default: ${DEFAULT-VALUE}).")
    int maxFrame;

    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto",
            description = "Colour the text output: auto, always or never (default: ${DEFAULT-VALUE}).")
    String color;

    @Mixin
    ConnectionOptions connections = new ConnectionOptions();

    @Mixin
    BusyPollOption busyPoll = new BusyPollOption();

    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws InterruptedException {
        List<Route> routes = routes();
        if (maxFrame < 0) {
            throw new BadValueException("bad --max-frame " + maxFrame + ": expected a number of bytes >= 0");
        }
        if (!List.of("auto", "always", "never").contains(color)) {
            throw new BadValueException("bad --color '" + color + "': expected auto, always or never");
        }
        Duration spell = busyPoll.spell(WireTap.DEFAULT_BUSY_POLL);
        PrintWriter out = spec.commandLine().getOut();
        // With --json, stdout carries only JSON lines; the banner and summary go to stderr.
        PrintWriter info = json ? spec.commandLine().getErr() : out;
        Sink sink = json ? new JsonSink(out) : new ConsoleSink(out, Ansi.forMode(color), 64, true);
        WireTap.Builder builder = WireTap.builder().sink(sink).maxFrame(maxFrame).busyPoll(spell);
        connections.maxConnections().ifPresent(builder::maxConnections);
        connections.backlog().ifPresent(builder::backlog);
        connections.handshakeTimeout().ifPresent(builder::handshakeTimeout);
        routes.forEach(builder::route);
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            awaitQuietly(done); // keep the JVM alive until the summary is out
        }, "zmqtap-tap-shutdown");
        try (WireTap tap = builder.start()) {
            info.println("zmqtap tap: " + tap.routes().stream()
                    .map(r -> "listening on " + r.listen() + ", forwarding to " + r.upstream())
                    .collect(Collectors.joining("; ")) + " (Ctrl-C to stop)");
            info.flush();
            Runtime.getRuntime().addShutdownHook(hook);
            stop.await();
            tap.close();
            info.println("zmqtap tap: stopped: " + tap.statistics().summary());
            info.flush();
        } finally {
            sink.close();
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException | IllegalArgumentException e) {
                // shutting down already (the hook is running), or never added: nothing to remove
            }
        }
        return 0;
    }

    private List<Route> routes() {
        if (listen.size() != upstream.size()) {
            throw new BadValueException("each --listen needs its own --upstream (in order): got " + listen.size()
                    + " --listen and " + upstream.size() + " --upstream");
        }
        List<Route> routes = new ArrayList<>();
        for (int i = 0; i < listen.size(); i++) {
            routes.add(Route.parse(listen.get(i), upstream.get(i)));
        }
        return routes;
    }

    /** Stops a running tap as Ctrl-C would (for tests and embedding). */
    void requestStop() {
        stop.countDown();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
