package io.zmqtap.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zmqtap.BadValueException;
import io.zmqtap.Sizes;
import io.zmqtap.endpoint.Endpoint;
import io.zmqtap.endpoint.SocketTypes;
import io.zmqtap.event.EventJson;
import io.zmqtap.event.Frame;
import io.zmqtap.event.NoticeEvent;
import io.zmqtap.event.Sink;
import io.zmqtap.feed.CaptureFormat;
import io.zmqtap.feed.FeedSubscriber;
import io.zmqtap.pipeline.Pipeline;
import io.zmqtap.sink.JsonSink;
import io.zmqtap.sink.PythonBytes;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.zeromq.SocketType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code zmqtap watch}: print a monitor feed, one line per message. */
@Command(name = "watch", mixinStandardHelpOptions = true,
        header = "Print a monitor feed (zmqtap's or pyzmq's), one line per message.",
        description = {
            "Subscribe to a monitor feed (zmqtap's in any capture format, pyzmq MonitoredQueue's, or libzmq zmq_proxy's "
                    + "capture) and print one line per message.",
            "Each line shows the time, the direction (in: client to server, out: server to client), the client identity "
                    + "and every frame: text when printable UTF-8, hex otherwise, the empty delimiter as |.",
            "Statistics go to stderr (with --json to stdout as statistics lines): every --stats TIME, and at the end "
                    + "(also on Ctrl-C): messages in, out and of unknown direction, forwarded subscriptions, drops.",
            "Memory is bounded: messages arriving faster than they can be printed wait in a buffer of --buffer bytes; "
                    + "past it they are dropped and counted."
        })
public final class WatchCommand implements Callable<Integer> {
    /** How long ending waits for a sink that is stuck (a pipe nobody reads) before giving up on it. */
    private static final long CLOSE_MILLIS = 2_000;
    /** How often the main thread looks whether stdout failed (and, within it, gives running statistics). */
    private static final long TICK_MILLIS = 200;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "ENDPOINT", defaultValue = ">tcp://localhost:7777",
            description = "The feed. Default: ${DEFAULT-VALUE}.")
    String endpoint;

    @Option(names = "--type", paramLabel = "TYPE", defaultValue = "SUB",
            description = "SUB, PULL, DEALER or PAIR (matching the feed's PUB, PUSH, DEALER or PAIR). Default: ${DEFAULT-VALUE}.")
    String type;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "auto",
            description = {"The feed's format: auto, prefixed, raw or envelope. Default: ${DEFAULT-VALUE}.",
                "prefixed: [prefix, frames…], pyzmq MonitoredQueue's and zmqtap's default.",
                "raw: [frames…], libzmq zmq_proxy's capture, without direction.",
                "envelope: [prefix, metadata, frames…], zmqtap's --capture-format envelope; the metadata gives each "
                        + "message its capture time and number, and reports captures the queue lost.",
                "auto decides for each message (a feed may be restarted with another format): a known prefix followed "
                        + "by zmqtap's metadata frame is envelope, a known prefix alone is prefixed, anything else raw."})
    String format;

    @Option(names = "--in-prefix", defaultValue = "in", description = "Prefix of client-to-server messages. Default: ${DEFAULT-VALUE}.")
    String inPrefix;

    @Option(names = "--out-prefix", defaultValue = "out", description = "Prefix of server-to-client messages. Default: ${DEFAULT-VALUE}.")
    String outPrefix;

    @Option(names = "--raw", description = "Print each message's frames as received, as a list the way a pyzmq monitor "
            + "client does: [b'in', b'\\x00k\\x8bEg', b'', b'0']. With --json: "
            + "{\"v\":1,\"type\":\"raw\",\"ts\":…,\"source\":…,\"frames\":[…],\"size\":…}.")
    boolean raw;

    @Option(names = {"-n", "--count"}, paramLabel = "N", defaultValue = "0",
            description = "Exit after N feed messages (0: run until Ctrl-C).")
    long count;

    @Option(names = "--buffer", paramLabel = "SIZE",
            description = "Bytes of received messages that may wait to be printed, e.g. 64m; past it messages are"
                    + " dropped and counted. Default: a quarter of the Java heap.")
    String buffer;

    @Option(names = "--max-message", paramLabel = "SIZE",
            description = "Largest message accepted, e.g. 4m; JeroMQ applies it to each frame (ZMQ_MAXMSGSIZE) and drops"
                    + " the connection over a larger one, which is reopened and reported."
                    + " Default: 1/512 of the Java heap, at least 64k.")
    String maxMessage;

    /** The option's name before 1.0, kept for scripts. */
    @Option(names = "--max-frame", paramLabel = "SIZE", hidden = true)
    String maxFrame;

    @Mixin
    OutputOptions output;

    @Mixin
    ClientSecurityOptions security = new ClientSecurityOptions();

    /** The feed's addresses once it has started, for {@code --raw --json} lines. */
    private String feedSource;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String given = addresses(endpoint); // checks the endpoint before anything starts
        long statsMillis = output.statsEvery().toMillis();
        var filter = output.filter(); // checked before the feed starts
        // events to stdout; statistics to stderr for people, to stdout with the events as JSON
        Sink diagnostics = output.json ? output.redacted(new JsonSink(err)) : output.diagnostics(err, false);
        Sink top = output.top(out, diagnostics); // --top: the screen takes events, notices and statistics
        if (top != null && raw) {
            throw new BadValueException("--top and --raw both replace the lines printed per message: choose one");
        }
        Sink events = top != null ? top : output.sink(out, false);
        Sink stats = top != null ? top : output.json ? events : diagnostics;
        Sink notices = top != null ? top : diagnostics;
        // made once the feed has started, so that a feed that cannot start leaves nothing to close
        CompletableFuture<Pipeline> ready = new CompletableFuture<>();
        FeedSubscriber.Builder b = FeedSubscriber.builder(endpoint)
                .type(SocketTypes.parse("--type", type,
                        Set.of(SocketType.SUB, SocketType.PULL, SocketType.DEALER, SocketType.PAIR)))
                .format(parseFormat(format))
                .prefixes(inPrefix.getBytes(StandardCharsets.UTF_8), outPrefix.getBytes(StandardCharsets.UTF_8))
                .limit(count)
                .buffer(buffer == null ? 0 : Sizes.parse("--buffer", buffer))
                .maxFrameSize(maxMessageBytes())
                .notices(line -> notices.accept(new NoticeEvent(Instant.now(), given, NoticeEvent.Level.WARNING,
                        line + " (see --max-message)")))
                .onEvent(e -> ready.join().accept(e))
                .security(security.security());
        if (raw) {
            b.onFrames(frames -> printRaw(out, ready, frames));
        }
        boolean shuttingDown = false;
        String outputFailure = null;
        try (FeedSubscriber feed = b.start()) {
            Pipeline.Builder p = output.recording.addTo(Pipeline.builder(feed.source()), "watch", false, err)
                    .statsSink(stats).counters(feed::counters).filter(filter);
            if (!raw) {
                p.sink(events);
            }
            Pipeline pipeline = p.start();
            feedSource = feed.source();
            ready.complete(pipeline);
            err.println(output.ansi().dim("zmqtap watch: reading " + String.join(",", feed.endpoints())
                    + " (Ctrl-C to stop)"));
            err.flush();
            AtomicBoolean finished = new AtomicBoolean();
            Thread hook = new Thread(() -> finish(feed, pipeline, stats, finished), "zmqtap-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                // running statistics from this thread, not the event sinks': stdout may be a pipe nobody
                // reads; and a look at stdout every tick, which asks nothing of its writer: watch | head
                // ends when head does
                long nextStats = System.nanoTime() + statsMillis * 1_000_000L;
                while (!feed.awaitTermination(statsMillis > 0 ? Math.min(statsMillis, TICK_MILLIS) : TICK_MILLIS)) {
                    outputFailure = OutputLoss.closed().orElse(null);
                    if (outputFailure != null) {
                        break;
                    }
                    if (statsMillis > 0 && System.nanoTime() - nextStats >= 0) {
                        stats.accept(pipeline.statistics(false));
                        nextStats += statsMillis * 1_000_000L;
                    }
                }
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    shuttingDown = true; // the hook prints the summary
                }
                if (!shuttingDown) {
                    finish(feed, pipeline, stats, finished);
                }
            }
        }
        if (outputFailure != null) {
            err.println("zmqtap: " + outputFailure + ": stopped watching");
            err.flush();
            return 1;
        }
        return shuttingDown ? 130 : 0;
    }

    /** {@code auto} (null: detect per message), or one of {@link CaptureFormat}. */
    static CaptureFormat parseFormat(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        if (n.equals("auto")) {
            return null;
        }
        for (CaptureFormat f : CaptureFormat.values()) {
            if (f.name().toLowerCase(Locale.ROOT).equals(n)) {
                return f;
            }
        }
        throw new BadValueException("unknown feed format '" + name + "': expected auto, prefixed, raw or envelope");
    }

    private long maxMessageBytes() {
        if (maxMessage != null) {
            return Sizes.parse("--max-message", maxMessage);
        }
        return maxFrame == null ? 0 : Sizes.parse("--max-frame", maxFrame);
    }

    /** The feed's addresses without {@code @} or {@code >}: the events' source, e.g. {@code tcp://localhost:7777}. */
    private static String addresses(String endpoint) {
        return Endpoint.parseList(endpoint).stream().map(Endpoint::address).collect(Collectors.joining(","));
    }

    /**
     * Stops the feed, then lets the pipeline deliver what waits and give its summary to {@code stats}.
     * A sink stuck writing (a full pipe) is not waited for: then the summary goes straight to
     * {@code stats}, and if that is stuck too, it is given up, so that Ctrl-C always ends.
     */
    private static void finish(FeedSubscriber feed, Pipeline pipeline, Sink stats, AtomicBoolean finished) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        feed.close();
        if (!bounded(pipeline::close)) {
            bounded(() -> stats.accept(pipeline.statistics(true)));
        }
    }

    /** Runs {@code task} on a daemon thread and waits for it at most {@link #CLOSE_MILLIS}; true if it ended. */
    private static boolean bounded(Runnable task) {
        Thread t = new Thread(task, "zmqtap-watch-close");
        t.setDaemon(true);
        t.start();
        try {
            t.join(CLOSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !t.isAlive();
    }

    /** A message's frames as received, prefix and metadata included: pyzmq's list, or a {@code raw} JSON line. */
    private void printRaw(PrintWriter out, CompletableFuture<Pipeline> ready, List<byte[]> frames) {
        ready.join(); // the source is known
        String source = feedSource;
        if (output.json) {
            List<Frame> parts = frames.stream().map(Frame::of).toList();
            ObjectNode o = JsonSink.mapper().createObjectNode();
            o.put("v", EventJson.SCHEMA);
            o.put("type", "raw");
            o.put("ts", EventJson.timestamp(Instant.now()));
            o.put("source", source);
            o.set("frames", EventJson.frames(parts));
            o.put("size", parts.stream().mapToLong(Frame::size).sum());
            out.println(o);
        } else {
            out.println(PythonBytes.list(frames));
        }
        out.flush();
    }
}
