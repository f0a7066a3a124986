package io.zmqtap.cli;

import io.zmqtap.BadValueException;
import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.pcap.CaptureFilter;
import io.zmqtap.pcap.LiveCapture;
import java.io.PrintWriter;
import java.util.List;
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

    @Option(names = "--host", paramLabel = "HOST", description = "Only traffic to or from this host.")
    String host;

    @Option(names = "--bpf", paramLabel = "EXPR",
            description = "The capture filter in BPF (tcpdump) syntax, instead of the one made from --port and --host.")
    String bpf;

    @Option(names = {"-n", "--count"}, paramLabel = "N", defaultValue = "0",
            description = "Exit after N messages (0: run until Ctrl-C).")
    long count;

    @Mixin
    PassiveOptions passive;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        passive.snapBytes(); // every option checked before the capture opens
        output.filter();
        output.recording.check("sniff", true); // --redact with a raw .pcap is refused before the capture opens
        if (count < 0) {
            throw new BadValueException("bad --count " + count + ": expected 0 (no limit) or a positive number of messages");
        }
        String filter = CaptureFilter.expression(bpf, passive.ports, host);
        LiveCapture capture = LiveCapture.open(iface, filter, output.recording.packetFile());
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            awaitQuietly(done); // keep the JVM alive until the summary is out
        }, "zmqtap-sniff-shutdown");
        // live: never waits for the output, drops and counts (the capture must not stall)
        SegmentChain chain = new SegmentChain(iface, passive, output, out, err, false, capture::counters,
                into -> limit(into, stop));
        boolean interrupted = false;
        String outputFailure = null;
        try {
            capture.start(chain::packet);
            err.println(output.ansi().dim("zmqtap sniff: capturing on " + iface + ", filter '" + filter + "' (Ctrl-C to stop)"));
            err.flush();
            Runtime.getRuntime().addShutdownHook(hook);
            while (!stop.await(100, TimeUnit.MILLISECONDS) && !capture.awaitEnd(1)) {
                // until Ctrl-C, --count, the capture fails, or the output does (sniff | head)
                outputFailure = OutputLoss.closed().orElse(null);
                if (outputFailure != null) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            interrupted = true; // stop, and still print the summary
        } finally {
            boolean ended = capture.stop();
            if (ended) {
                chain.finish(); // the capture thread has ended: this thread may use the reassembly
            }
            chain.close();
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
        List<String> lost = OutputLoss.lines(chain.pipeline(), out,
                outputFailure == null ? null : outputFailure + ": stopped capturing");
        for (String line : lost) {
            err.println("zmqtap: " + line);
        }
        err.flush();
        return lost.isEmpty() ? 0 : 1;
    }

    /** The pipeline's input, passing at most {@link #count} messages and asking to stop at the last. */
    private Consumer<CaptureEvent> limit(Consumer<CaptureEvent> pipeline, CountDownLatch stop) {
        if (count == 0) {
            return pipeline;
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

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
