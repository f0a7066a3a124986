package io.zmqtap.cli;

import io.zmqtap.Sizes;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.Direction;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.event.Frame;
import io.zmqtap.endpoint.SocketTypes;
import io.zmqtap.feed.FeedLimits;
import io.zmqtap.feed.FeedSubscriber;
import io.zmqtap.sink.JsonSink;
import io.zmqtap.sink.PythonBytes;
import io.zmqtap.event.Sink;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
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
        header = "Print a monitor feed (zmqtap's or pyzmq's), one line per message.",
        description = {
            "Subscribe to a monitor feed (zmqtap's or pyzmq MonitoredQueue's) and print one line per message:",
            "time, direction (in: client to server, out: server to client), client identity, payload frames.",
            "Text is shown when printable, hex otherwise. Ctrl-C prints a summary.",
            "Memory is bounded: messages arriving faster than they can be printed wait in a buffer of --buffer bytes;",
            "past it they are dropped and counted (summary, --stats)."
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
            description = "Exit after printing N messages (0: run until Ctrl-C).")
    long count;


    @Option(names = "--buffer", paramLabel = "SIZE",
            description = "Bytes of received messages that may wait to be printed, e.g. 64m; past it messages are"
                    + " dropped and counted. Default: a quarter of the Java heap.")
    String buffer;

    @Option(names = "--max-frame", paramLabel = "SIZE",
            description = "Largest frame accepted, e.g. 4m (ZMQ_MAXMSGSIZE): a larger one makes JeroMQ drop the"
                    + " connection, which is reopened and reported. Default: 1/512 of the Java heap, at least 64k.")
    String maxFrame;

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
                .buffer(buffer == null ? 0 : Sizes.parse("--buffer", buffer))
                .maxFrameSize(maxFrame == null ? 0 : Sizes.parse("--max-frame", maxFrame))
                .notices(line -> notice(err, line + " (see --max-frame)"))
                .onEvent(e -> count(e, in, outCount));
        if (raw) {
            b.onFrames(frames -> printRaw(out, frames));
        } else {
            b.onEvent(e -> {
                count(e, in, outCount);
                sink.accept(e);
            });
        }
        long statsMillis = output.statsEvery().toMillis();
        try (FeedSubscriber feed = b.start()) {
            err.println(output.ansi().dim("zmqtap watch: reading " + String.join(",", feed.endpoints())
                    + " (Ctrl-C to stop)"));
            err.flush();
            AtomicBoolean summarized = new AtomicBoolean();
            Thread hook = new Thread(() -> {
                feed.close();
                summary(err, feed, in.get(), outCount.get(), summarized);
            }, "zmqtap-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                long started = System.nanoTime();
                while (!feed.awaitTermination(statsMillis > 0 ? statsMillis : 3_600_000L)) {
                    if (statsMillis > 0) {
                        progress(err, feed, in.get(), outCount.get(), started);
                    }
                }
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    return 130; // shutting down: the hook prints the summary
                }
            }
            feed.close();
            summary(err, feed, in.get(), outCount.get(), summarized);
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

    private void progress(PrintWriter err, FeedSubscriber feed, long in, long out, long startedNanos) {
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        long total = feed.delivered();
        if (output.json) {
            ObjectNode o = counts("stats", feed, in, out);
            o.put("msgs_per_s", total / seconds);
            o.put("buffered_bytes", feed.bufferedBytes());
            o.put("buffer_bytes", feed.limits().bufferBytes());
            err.println(o);
        } else {
            err.println(output.ansi().dim(String.format(Locale.ROOT,
                    "zmqtap watch: %d messages (%d in, %d out), %.1f msgs/s, %d dropped, buffer %s of %s%s", total,
                    in, out, total / seconds, feed.dropped(), FeedLimits.size(feed.bufferedBytes()),
                    FeedLimits.size(feed.limits().bufferBytes()), connectionDrops(feed))));
        }
        err.flush();
    }

    private void summary(PrintWriter err, FeedSubscriber feed, long in, long out, AtomicBoolean done) {
        if (!done.compareAndSet(false, true)) {
            return;
        }
        if (output.json) {
            err.println(counts("summary", feed, in, out));
        } else {
            err.println("zmqtap watch: " + feed.delivered() + " messages (" + in + " in, " + out + " out), "
                    + feed.dropped() + " dropped" + connectionDrops(feed));
        }
        err.flush();
    }

    /** The counts {@code --stats} lines and the summary share, as JSON. */
    private static ObjectNode counts(String type, FeedSubscriber feed, long in, long out) {
        ObjectNode o = JsonSink.mapper().createObjectNode();
        o.put("type", type);
        o.put("messages", feed.delivered());
        o.put("in", in);
        o.put("out", out);
        o.put("dropped", feed.dropped());
        o.put("received", feed.received());
        o.put("connection_drops", feed.connectionDrops());
        return o;
    }

    private static String connectionDrops(FeedSubscriber feed) {
        long drops = feed.connectionDrops();
        return drops == 0 ? "" : ", connection dropped " + drops + (drops == 1 ? " time" : " times")
                + " for frames over " + FeedLimits.size(feed.limits().maxFrameBytes());
    }

    private void notice(PrintWriter err, String line) {
        err.println(output.json ? JsonLineWriter.textLine("notice", "message", line)
                : output.ansi().yellow("zmqtap watch: " + line));
        err.flush();
    }
}
