package io.zmqtap.cli;

import io.zmqtap.BadValueException;
import io.zmqtap.Sizes;
import io.zmqtap.dissect.Dissector;
import io.zmqtap.event.Sink;
import io.zmqtap.pcap.CaptureFileException;
import io.zmqtap.pcap.CaptureFileReader;
import io.zmqtap.pcap.TcpDecoder;
import io.zmqtap.pcap.TcpReassembler;
import io.zmqtap.pipeline.Pipeline;
import io.zmqtap.sink.ConsoleSink;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code zmqtap read}: the ZeroMQ conversations in a pcap or pcapng file (gzip or not), decoded
 * into the same events, schema, correlation and statistics as every other source.
 *
 * <pre>
 * zmqtap read capture.pcap
 * zmqtap read capture.pcapng.gz --json
 * zmqtap read midstream.pcap --port 5555     # a stream that started before the capture
 * </pre>
 */
@Command(name = "read", mixinStandardHelpOptions = true,
        header = "Decode the ZeroMQ conversations in a pcap or pcapng capture file.",
        description = {
            "Read a capture file (pcap or pcapng, as tcpdump, tshark or dumpcap write them, gzip-compressed or not) "
                    + "and show the ZeroMQ conversations in it as tap does: handshakes, every message with its "
                    + "direction (in: client to server, out: server to client), the client's identity, each reply's "
                    + "latency, and statistics at the end.",
            "ZeroMQ connections are found by their ZMTP greeting on any TCP port; --port names ZeroMQ ports whose "
                    + "connections started before the capture (they are joined mid-stream, and say so). A damaged "
                    + "file shows everything before the damage, then one error with its byte offset (exit code 1)."
        })
public final class ReadCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The capture file (pcap, pcapng, optionally .gz).")
    Path file;

    @Option(names = "--port", paramLabel = "PORT", split = ",",
            description = "A TCP port that carries ZeroMQ (repeatable or comma-separated): its connections are "
                    + "decoded even without a greeting in the capture.")
    List<Integer> ports = new ArrayList<>();

    @Option(names = "--server-port", paramLabel = "PORT",
            description = "The server's port, for connections whose SYN is not in the capture: tells client from "
                    + "server. Default: the SYN, else the ZMTP facts, else the lower port.")
    Integer serverPort;

    @Option(names = "--snap", paramLabel = "SIZE", defaultValue = "1MiB",
            description = "Bytes of each frame kept in events (as tap --snap). Default: ${DEFAULT-VALUE}.")
    String snap;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int snapBytes = (int) Math.min(Integer.MAX_VALUE, Sizes.parse("--snap", snap));
        for (int p : ports) {
            checkPort("--port", p);
        }
        if (serverPort != null) {
            checkPort("--server-port", serverPort);
        }
        String source = file.toString();
        InputStream in;
        try {
            in = new BufferedInputStream(Files.newInputStream(file), 1 << 20);
        } catch (NoSuchFileException e) {
            throw new BadValueException("cannot read " + file + ": no such file");
        } catch (IOException e) {
            throw new BadValueException("cannot read " + file + ": " + e.getMessage());
        }
        Sink events = output.sink(out, true);
        Sink stats = output.json ? events : new ConsoleSink(err, output.ansi(), output.maxBytes, true);
        TcpDecoder decoder = new TcpDecoder();
        Holder<TcpReassembler> reassembler = new Holder<>();
        // a file can wait: a slow terminal costs time, never events
        Pipeline pipeline = Pipeline.builder(source).sink(events).statsSink(stats).waitWhenFull(true)
                .counters(() -> counters(decoder, reassembler.value))
                .start();
        Dissector dissector = new Dissector(pipeline::accept, snapBytes, Dissector.Counters.NONE);
        TcpReassembler.Options options = TcpReassembler.Options.defaults().withZeromqPorts(Set.copyOf(ports));
        if (serverPort != null) {
            options = options.withServerPort(serverPort);
        }
        reassembler.value = new TcpReassembler(source, dissector, pipeline::accept, options);
        Instant last = Instant.EPOCH;
        CaptureFileException damage = null;
        try (CaptureFileReader reader = CaptureFileReader.open(in)) {
            Holder<Instant> lastSeen = new Holder<>();
            lastSeen.value = Instant.EPOCH;
            try {
                reader.readSegments(decoder, segment -> {
                    lastSeen.value = segment.time();
                    reassembler.value.segment(segment);
                });
            } catch (CaptureFileException e) {
                damage = e; // everything before it was decoded; say so after the summary
            }
            last = lastSeen.value;
        } catch (CaptureFileException e) {
            damage = e; // not even a header
        } finally {
            reassembler.value.finish(last);
            pipeline.close();
            out.flush();
        }
        if (damage != null) {
            err.println("zmqtap: " + file + ": " + damage.getMessage());
            err.flush();
            return 1;
        }
        return 0;
    }

    private static void checkPort(String option, int port) {
        if (port < 1 || port > 65535) {
            throw new BadValueException("bad " + option + " " + port + ": expected a TCP port, 1 to 65535");
        }
    }

    /** The statistics' counters: the file's packets, then the reassembly's. */
    private static Map<String, Long> counters(TcpDecoder decoder, TcpReassembler reassembler) {
        Map<String, Long> c = new LinkedHashMap<>(decoder.counts().counters());
        if (reassembler != null) {
            c.putAll(reassembler.counters().counters());
        }
        return c;
    }

    /** A value set after a lambda that reads it was made. */
    private static final class Holder<T> {
        volatile T value;
    }
}
