package io.zmqtap.cli;

import io.zmqtap.BadValueException;
import io.zmqtap.Sizes;
import io.zmqtap.curve.KeyPair;
import io.zmqtap.event.Sink;
import io.zmqtap.security.Certificates;
import io.zmqtap.pipeline.Pipeline;
import io.zmqtap.sink.Ansi;
import io.zmqtap.tap.Route;
import io.zmqtap.tap.WireTap;
import io.zmqtap.zmtp.ZmtpDecoder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * zmqtap tap --listen ipc:///tmp/tap.sock --upstream ipc:///tmp/server.sock --max-connections 200 --stats 5s
 * zmqtap tap --listen tcp://127.0.0.1:4444 --upstream tcp://127.0.0.1:5555 --decrypt server_secret --cert tap_secret
 * </pre>
 *
 * <p>Events go through a {@link Pipeline} named after the tap ({@link WireTap#source()}) to stdout,
 * as text or JSON lines; its statistics, with the tap's counts ({@code TapStatistics.counters()}),
 * go to stderr in text and to stdout with the rest in JSON. The banner goes to stderr.
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

    @Option(names = "--snap", paramLabel = "SIZE",
            description = "Keep at most this many bytes of each frame in events, e.g. 4096 or 64k; longer frames are "
                    + "cut and their size kept. Default: 1MiB.")
    String snap;

    /** The old name of {@code --snap}. */
    @Option(names = "--max-frame", paramLabel = "SIZE", hidden = true)
    String maxFrame;

    @Option(names = "--decrypt", paramLabel = "SERVER_SECRET_CERT",
            description = "See inside CURVE: the server's secret certificate (e.g. server_secret, mode 0600). The tap "
                    + "terminates CURVE on both sides, as mitmproxy does for TLS: clients that pinned the server's "
                    + "public key handshake with the tap, which shows the decrypted messages and each client's key. "
                    + "Applies to every --listen.")
    Path decrypt;

    @Option(names = "--cert", paramLabel = "CLIENT_SECRET_CERT",
            description = "With --decrypt: the client certificate the tap shows the server (one its ZAP handler "
                    + "accepts). Default: a throwaway key, which only a server that accepts any key takes.")
    Path cert;

    @Mixin
    OutputOptions output = new OutputOptions();

    @Mixin
    ConnectionOptions connections = new ConnectionOptions();

    @Mixin
    BusyPollOption busyPoll = new BusyPollOption();

    private final CountDownLatch stop = new CountDownLatch(1);
    /** Set once the tap runs: the pipeline's statistics read its counts. */
    private volatile WireTap running;
    /** Made by the tap once it listens (it is named after the address bound). */
    private Pipeline pipeline;

    @Override
    public Integer call() throws InterruptedException {
        List<Route> routes = routes();
        int snapBytes = snapBytes();
        KeyPair[] curve = decryptKeys(); // a bad certificate is refused before the tap listens
        Ansi.forMode(output.color); // a bad --color is an error with --json too
        output.recording.check("tap", false);
        Duration statsEvery = output.statsEvery();
        output.filter(); // a bad --filter is refused before the tap listens
        Duration spell = busyPoll.spell(WireTap.DEFAULT_BUSY_POLL);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Sink stats = output.json ? null : output.diagnostics(err, true);
        Sink top = output.top(out, stats); // --top: the screen takes the events and statistics
        Sink events = top != null ? top : output.pipelineSink(out, true);
        WireTap.Builder builder = WireTap.builder().snap(snapBytes).busyPoll(spell)
                .sinkFor(source -> pipeline(source, events, top != null ? top : stats, statsEvery, err));
        connections.maxConnections().ifPresent(builder::maxConnections);
        connections.backlog().ifPresent(builder::backlog);
        connections.handshakeTimeout().ifPresent(builder::handshakeTimeout);
        routes.forEach(builder::route);
        if (curve != null) {
            builder.decrypt(curve[0], curve[1]);
        }
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            awaitQuietly(done); // keep the JVM alive until the summary is out
        }, "zmqtap-tap-shutdown");
        try (WireTap tap = builder.start()) {
            running = tap;
            err.println(output.ansi().dim("zmqtap tap: " + tap.routes().stream()
                    .map(r -> "listening on " + r.listen() + ", forwarding to " + r.upstream())
                    .collect(Collectors.joining("; ")) + " (Ctrl-C to stop)"));
            if (curve != null) {
                err.println(output.ansi().dim("zmqtap tap: decrypting CURVE: to clients the tap is the server "
                        + curve[0].publicKeyZ85() + "; to the server it is the client "
                        + (curve[1] != null ? curve[1].publicKeyZ85() : "with a throwaway key")));
            }
            err.flush();
            Runtime.getRuntime().addShutdownHook(hook);
            boolean toldOutputFailed = false;
            while (!stop.await(1, TimeUnit.SECONDS)) {
                Optional<String> outputFailed = toldOutputFailed ? Optional.empty() : OutputLoss.goingOn("tap");
                if (outputFailed.isPresent()) { // the traffic goes on whatever happens to stdout: said once
                    err.println(output.ansi().yellow("zmqtap: warning: " + outputFailed.get()));
                    err.flush();
                    toldOutputFailed = true;
                }
            }
            tap.close(); // its last events (each connection's close) reach the pipeline before its summary
        } finally {
            if (pipeline != null) {
                pipeline.close(); // the last statistics: the summary
            } else {
                events.close();
            }
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException | IllegalArgumentException e) {
                // shutting down already (the hook is running), or never added: nothing to remove
            }
        }
        return 0;
    }

    /** The tap's sink: events to {@code events}; statistics to {@code stats}, or with the events when null (JSON). */
    private Pipeline pipeline(String source, Sink events, Sink stats, Duration statsEvery, PrintWriter err) {
        Pipeline.Builder b = output.recording.addTo(Pipeline.builder(source).sink(events), "tap", false, err)
                .statsEvery(statsEvery).counters(this::counters).filter(output.filter());
        if (stats != null) {
            b.statsSink(stats);
        }
        pipeline = b.start();
        return pipeline;
    }

    private Map<String, Long> counters() {
        WireTap tap = running;
        return tap == null ? Map.of() : tap.statistics().counters();
    }

    /** {@code --snap} (or its old name {@code --max-frame}) in bytes; beyond what a frame can hold in memory means all of it. */
    private int snapBytes() {
        String option = snap != null ? "--snap" : maxFrame != null ? "--max-frame" : null;
        if (option == null) {
            return ZmtpDecoder.DEFAULT_MAX_FRAME;
        }
        long bytes = Sizes.parse(option, snap != null ? snap : maxFrame);
        return (int) Math.min(bytes, Integer.MAX_VALUE - 8);
    }

    /** {@code --decrypt}'s and {@code --cert}'s keys (the client's null without --cert), or null without --decrypt. */
    private KeyPair[] decryptKeys() {
        if (decrypt == null) {
            if (cert != null) {
                throw new BadValueException("--cert goes with --decrypt (the client certificate the tap shows the server)");
            }
            return null;
        }
        KeyPair server = KeyPair.of(Certificates.loadSecret(decrypt));
        KeyPair client = cert == null ? null : KeyPair.of(Certificates.loadSecret(cert));
        return new KeyPair[] {server, client};
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
