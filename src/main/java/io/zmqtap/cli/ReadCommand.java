package io.zmqtap.cli;

import io.zmqtap.BadValueException;
import io.zmqtap.pcap.CaptureFileException;
import io.zmqtap.pcap.CaptureFileReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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

    @Mixin
    PassiveOptions passive;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        passive.snapBytes(); // every option checked before the file is opened
        output.filter();
        if (output.top) {
            // a file is read as fast as it decodes, not watched live: there is no "now" to redraw
            throw new BadValueException("--top watches a live source, not a file: use --quiet for the file's summary");
        }
        InputStream in;
        try {
            in = new BufferedInputStream(Files.newInputStream(file), 1 << 20);
        } catch (NoSuchFileException e) {
            throw new BadValueException("cannot read " + file + ": no such file");
        } catch (IOException e) {
            throw new BadValueException("cannot read " + file + ": " + e.getMessage());
        }
        // a file can wait: a slow terminal costs time, never events
        SegmentChain chain = new SegmentChain(file.toString(), passive, output, out, err, true, Map::of, x -> x);
        CaptureFileException damage = null;
        try (CaptureFileReader reader = CaptureFileReader.open(in)) {
            reader.readSegments(chain.decoder(), chain::segment);
        } catch (CaptureFileException e) {
            damage = e; // everything before it was decoded; said after the summary
        } finally {
            chain.finish();
            chain.close();
            out.flush();
        }
        if (damage != null) {
            err.println("zmqtap: " + file + ": " + damage.getMessage());
            err.flush();
            return 1;
        }
        return 0;
    }
}
