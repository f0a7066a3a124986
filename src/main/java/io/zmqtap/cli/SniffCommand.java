package io.zmqtap.cli;

import io.zmqtap.BadValueException;
import io.zmqtap.Sizes;
import io.zmqtap.dissect.Dissector;
import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.event.Sink;
import io.zmqtap.pcap.CaptureFilter;
import io.zmqtap.pcap.LiveCapture;
import io.zmqtap.pcap.TcpDecoder;
import io.zmqtap.pcap.TcpReassembler;
import io.zmqtap.pcap.TcpSegment;
import io.zmqtap.pipeline.Pipeline;
import io.zmqtap.sink.ConsoleSink;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code zmqtap sniff}: the ZeroMQ conversations on a network interface, live, through libpcap,
 * without touching the peers: the same events, schema, correlation and statistics as {@code read}.
 *
 * <pre>
 * sudo zmqtap sniff --interface lo --port 5555
 * zmqtap sniff --interface eth0 --port 5555 --host 10.0.0.7 --json --write seen.pcap
 * </pre>
 */
@Command(name = "sniff", mixinStandardHelpOptions = true,
        header = "Decode the ZeroMQ conversations on a network interface, live.",
        description = {
            "Capture the TCP traffic of an interface through libpcap and show its ZeroMQ conversations as read "
                    + "does a file: handshakes, every message with its direction (in: client to server, out: server "
                    + "to client), the client's identity, each reply's latency, statistics at the end (also on Ctrl-C).",
            "Needs root or CAP_NET_RAW (sudo setcap cap_net_raw,cap_net_admin+eip $(readlink -f $(which java))). "
                    + "The kernel filters with --bpf, else one made from --port and --host (with neither: tcp). A "
                    + "connection already open when the capture starts is joined mid-stream, and says so.",
            "The capture never waits for the output: events that cannot be shown in time are dropped and counted."
        })
public final class SniffCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-i", "--interface"}, paramLabel = "NAME", defaultValue = "lo",
            description = "The interface to capture on. Default: ${DEFAULT-VALUE}.")
    String iface;

    @Option(names = "--port", paramLabel = "PORT", split = ",",
            description = "A TCP port that carries ZeroMQ (repeatable or comma-separated): captured, and decoded "
                    + "even without a greeting (a connection open before the capture).")
    List<Integer> ports = new ArrayList<>();

    @Option(names = "--host", paramLabel = "HOST", description = "Only traffic to or from this host.")
    String host;

    @Option(names = "--bpf", paramLabel = "EXPR",
            description = "The capture filter in BPF (tcpdump) syntax, instead of the one made from --port and --host.")
    String bpf;

    @Option(names = "--server-port", paramLabel = "PORT",
            description = "The server's port, for connections whose SYN was not seen: tells client from server.")
    Integer serverPort;

    @Option(names = "--snap", paramLabel = "SIZE", defaultValue = "1MiB",
            description = "Bytes of each frame kept in events (as tap --snap). Default: ${DEFAULT-VALUE}.")
    String snap;

    @Option(names = "--write", paramLabel = "FILE", description = "Also write every captured packet to this pcap file.")
    Path write;

    @Option(names = {"-n", "--count"}, paramLabel = "N", defaultValue = "0",
            description = "Exit after N messages (0: run until Ctrl-C).")
    long count;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int snapBytes = (int) Math.min(Integer.MAX_VALUE, Sizes.parse("--snap", snap));
        ports.forEach(p -> checkPort("--port", p));
        if (serverPort != null) {
            checkPort("--server-port", serverPort);
        }
        if (count < 0) {
            throw new BadValueException("bad --count " + count + ": expected 0 (no limit) or a positive number of messages");
        }
        String filter = CaptureFilter.expression(bpf, ports, host);
        LiveCapture capture = LiveCapture.open(iface, filter, write);
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            awaitQuietly(done); // keep the JVM alive until the summary is out
        }, "zmqtap-sniff-shutdown");
        Sink events = output.sink(out, true);
        Sink stats = output.json ? events : new ConsoleSink(err, output.ansi(), output.maxBytes, true);
        TcpDecoder decoder = new TcpDecoder();
        Holder<TcpReassembler> reassembler = new Holder<>();
        // live: never waits for the sinks, drops and counts (the capture must not stall)
        Pipeline pipeline = Pipeline.builder(iface).sink(events).statsSink(stats).statsEvery(output.statsEvery())
                .counters(() -> counters(capture, decoder, reassembler.value)).start();
        Consumer<CaptureEvent> limited = limit(pipeline, stop);
        Dissector dissector = new Dissector(limited, snapBytes, Dissector.Counters.NONE);
        TcpReassembler.Options options = TcpReassembler.Options.defaults().withZeromqPorts(Set.copyOf(ports));
        if (serverPort != null) {
            options = options.withServerPort(serverPort);
        }
        reassembler.value = new TcpReassembler(iface, dissector, limited, options);
        Instant[] last = {Instant.EPOCH}; // written and read on the capture thread, then after it ended
        boolean interrupted = false;
        try {
            capture.start(packet -> {
                TcpSegment segment = decoder.decode(packet);
                if (segment != null) {
                    last[0] = segment.time();
                    reassembler.value.segment(segment);
                }
            });
            err.println(output.ansi().dim("zmqtap sniff: capturing on " + iface + ", filter '" + filter + "' (Ctrl-C to stop)"));
            err.flush();
            Runtime.getRuntime().addShutdownHook(hook);
            while (!stop.await(100, TimeUnit.MILLISECONDS) && !capture.awaitEnd(1)) {
                // until Ctrl-C, --count, or the capture fails
            }
        } catch (InterruptedException e) {
            interrupted = true; // stop, and still print the summary
        } finally {
            boolean ended = capture.stop();
            if (ended) {
                reassembler.value.finish(last[0]); // the capture thread has ended: this thread may use the reassembler
            }
            pipeline.close();
            out.flush();
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException | IllegalArgumentException e) {
                // shutting down already (the hook is running), or never added
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        RuntimeException failure = capture.failure();
        if (failure != null) {
            throw failure;
        }
        return 0;
    }

    /** The pipeline's input, passing at most {@link #count} messages and asking to stop at the last. */
    private Consumer<CaptureEvent> limit(Pipeline pipeline, CountDownLatch stop) {
        if (count == 0) {
            return pipeline::accept;
        }
        long[] messages = {0}; // the capture thread's only
        return e -> {
            if (e instanceof MessageEvent) {
                if (messages[0] >= count) {
                    return;
                }
                if (++messages[0] == count) {
                    pipeline.accept(e);
                    stop.countDown();
                    return;
                }
            }
            pipeline.accept(e);
        };
    }

    /** The statistics' counters: the capture's, its packets', then the reassembly's. */
    private static Map<String, Long> counters(LiveCapture capture, TcpDecoder decoder, TcpReassembler reassembler) {
        Map<String, Long> c = new LinkedHashMap<>(capture.counters());
        c.putAll(decoder.counts().counters());
        if (reassembler != null) {
            c.putAll(reassembler.counters().counters());
        }
        return c;
    }

    /** A value set after a lambda that reads it was made. */
    private static final class Holder<T> {
        volatile T value;
    }

    private static void checkPort(String option, int port) {
        if (port < 1 || port > 65535) {
            throw new BadValueException("bad " + option + " " + port + ": expected a TCP port, 1 to 65535");
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
