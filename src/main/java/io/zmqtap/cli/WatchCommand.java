package io.zmqtap.cli;

import io.zmqtap.capture.CaptureEvent;
import io.zmqtap.capture.Direction;
import io.zmqtap.capture.MessageEvent;
import io.zmqtap.capture.Frame;
import io.zmqtap.endpoint.SocketTypes;
import io.zmqtap.feed.FeedSubscriber;
import io.zmqtap.sink.JsonSink;
import io.zmqtap.sink.PythonBytes;
import io.zmqtap.sink.Sink;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.zeromq.SocketType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code zmqtap watch}: print a monitor feed, one line per message. */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {
            "Subscribe to a monitor feed (zmqtap's or pyzmq MonitoredQueue's) and print one line per message:",
            "time, direction (in: client to server, out: server to client), client identity, payload frames.",
            "Text is shown when printable, hex otherwise. Ctrl-C prints a summary."
        })
public final class WatchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "ENDPOINT", defaultValue = ">tcp://localhost:7777",
            description = "The feed. Default: ${DEFAULT-VALUE}.")
    String endpoint;

    @Option(names = "--type", paramLabel = "TYPE", defaultValue = "SUB",
            description = "SUB, PULL, DEALER or PAIR (matching the feed's PUB, PUSH, DEALER or PAIR). Default: ${DEFAULT-VALUE}.")
    String type;

    @Option(names = "--in-prefix", defaultValue = "in", description = "Prefix of client-to-server messages.")
    String inPrefix;

    @Option(names = "--out-prefix", defaultValue = "out", description = "Prefix of server-to-client messages.")
    String outPrefix;

    @Option(names = "--raw", description = "Print each message's frames as a list, as a pyzmq monitor client does: "
            + "[b'in', b'\\x00k\\x8bEg', b'', b'0'].")
    boolean raw;

    @Option(names = {"-n", "--count"}, paramLabel = "N", defaultValue = "0",
            description = "Exit after N messages (0: run until Ctrl-C).")
    long count;

    @Option(names = "--stats", paramLabel = "SECONDS", defaultValue = "0",
            description = "Print a running summary every SECONDS to stderr (0: only at the end).")
    int statsSeconds;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Sink sink = output.sink(out, false);
        AtomicLong in = new AtomicLong();
        AtomicLong outCount = new AtomicLong();
        FeedSubscriber.Builder b = FeedSubscriber.builder(endpoint)
                .type(SocketTypes.parse("--type", type,
                        Set.of(SocketType.SUB, SocketType.PULL, SocketType.DEALER, SocketType.PAIR)))
                .prefixes(inPrefix.getBytes(StandardCharsets.UTF_8), outPrefix.getBytes(StandardCharsets.UTF_8))
                .limit(count)
                .onEvent(e -> count(e, in, outCount));
        if (raw) {
            b.onFrames(frames -> printRaw(out, frames));
        } else {
            b.onEvent(e -> {
                count(e, in, outCount);
                sink.accept(e);
            });
        }
        try (FeedSubscriber feed = b.start()) {
            err.println(output.ansi().dim("zmqtap watch: reading " + String.join(",", feed.endpoints())
                    + " (Ctrl-C to stop)"));
            err.flush();
            AtomicBoolean summarized = new AtomicBoolean();
            Thread hook = new Thread(() -> {
                feed.close();
                summary(err, feed.received(), in.get(), outCount.get(), summarized);
            }, "zmqtap-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                long started = System.nanoTime();
                while (!feed.awaitTermination(statsSeconds > 0 ? statsSeconds * 1000L : 3_600_000L)) {
                    if (statsSeconds > 0) {
                        progress(err, feed.received(), in.get(), outCount.get(), started);
                    }
                }
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    return 130; // shutting down: the hook prints the summary
                }
            }
            summary(err, feed.received(), in.get(), outCount.get(), summarized);
        }
        return 0;
    }

    private static void count(CaptureEvent e, AtomicLong in, AtomicLong out) {
        if (e instanceof MessageEvent m) {
            if (m.direction() == Direction.IN) {
                in.incrementAndGet();
            } else if (m.direction() == Direction.OUT) {
                out.incrementAndGet();
            }
        }
    }

    private void printRaw(PrintWriter out, List<byte[]> frames) {
        if (output.json) {
            var o = JsonSink.mapper().createObjectNode();
            o.put("type", "raw");
            o.put("time", Instant.now().toString());
            o.put("source", endpoint);
            o.set("frames", JsonSink.frames(frames.stream().map(Frame::of).toList()));
            out.println(o);
        } else {
            out.println(PythonBytes.list(frames));
        }
        out.flush();
    }

    private void progress(PrintWriter err, long total, long in, long out, long startedNanos) {
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        if (output.json) {
            var o = JsonSink.mapper().createObjectNode();
            o.put("type", "stats");
            o.put("messages", total);
            o.put("in", in);
            o.put("out", out);
            o.put("msgs_per_s", total / seconds);
            err.println(o);
        } else {
            err.println(output.ansi().dim(String.format(java.util.Locale.ROOT,
                    "zmqtap watch: %d messages (%d in, %d out), %.1f msgs/s", total, in, out, total / seconds)));
        }
        err.flush();
    }

    private void summary(PrintWriter err, long total, long in, long out, AtomicBoolean done) {
        if (!done.compareAndSet(false, true)) {
            return;
        }
        if (output.json) {
            var o = JsonSink.mapper().createObjectNode();
            o.put("type", "summary");
            o.put("messages", total);
            o.put("in", in);
            o.put("out", out);
            err.println(o);
        } else {
            err.println("zmqtap watch: " + total + " messages (" + in + " in, " + out + " out)");
        }
        err.flush();
    }
}
