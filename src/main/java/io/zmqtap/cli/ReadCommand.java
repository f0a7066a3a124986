package io.zmqtap.cli;

import io.zmqtap.BadValueException;
import io.zmqtap.event.Sink;
import io.zmqtap.pcap.CaptureFileException;
import io.zmqtap.pcap.CaptureFileReader;
import io.zmqtap.pipeline.Pipeline;
import io.zmqtap.record.RecordingReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code zmqtap read}: the ZeroMQ conversations in pcap or pcapng files (gzip or not), decoded
 * into the same events, schema, correlation and statistics as every other source; or the events
 * zmqtap recorded to capture files ({@code --write}), shown again.
 *
 * <pre>
 * zmqtap read capture.pcap
 * zmqtap read capture.pcapng.gz --json
 * zmqtap read midstream.pcap --port 5555     # a stream that started before the capture
 * zmqtap read capture.zcap                   # what `zmqtap tap ... --write capture.zcap` recorded
 * zmqtap read capture-*.zcap                 # the parts --rotate made, in order
 * </pre>
 */
@Command(name = "read", mixinStandardHelpOptions = true,
        header = "Show the ZeroMQ traffic in pcap files or zmqtap recordings.",
        description = {
            "Read capture files (pcap or pcapng, as tcpdump, tshark or dumpcap write them, gzip-compressed or not) "
                    + "and show the ZeroMQ conversations in them as tap does: handshakes, every message with its "
                    + "direction (in: client to server, out: server to client), the client's identity, each reply's "
                    + "latency, and statistics at the end. Several files are read in order as one capture.",
            "Or read zmqtap capture files (what --write recorded; told by their content, not their name): the "
                    + "events as recorded, replies paired as they were, then statistics over them. A file still "
                    + "being written is read up to its last flush.",
            "ZeroMQ connections are found by their ZMTP greeting on any TCP port; --port names ZeroMQ ports whose "
                    + "connections started before the capture (they are joined mid-stream, and say so). A damaged "
                    + "file shows everything before the damage, then one error with its byte offset (exit code 1)."
        })
public final class ReadCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE",
            description = "The files: pcap, pcapng (optionally .gz), or zmqtap capture files; read in the order given.")
    List<Path> files = new ArrayList<>();

    @Mixin
    PassiveOptions passive;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        passive.snapBytes(); // every option checked before a file is opened
        output.statsEvery();
        output.filter();
        if (output.top) {
            // a file is read as fast as it decodes, not watched live: there is no "now" to redraw
            throw new BadValueException("--top watches a live source, not a file: use --quiet for the file's summary");
        }
        List<InputStream> inputs = new ArrayList<>();
        long total = 0;
        boolean recordings = false;
        try {
            for (int i = 0; i < files.size(); i++) {
                Path f = files.get(i);
                BufferedInputStream in = open(f);
                inputs.add(in);
                boolean recording = RecordingReader.isRecording(in);
                if (i > 0 && recording != recordings) {
                    throw new BadValueException("cannot read " + f + " with " + files.get(0) + ": one is a pcap file, "
                            + "the other a zmqtap capture file");
                }
                recordings = recording;
                total += Files.size(f);
            }
        } catch (RuntimeException | IOException e) {
            for (InputStream in : inputs) {
                in.close();
            }
            throw e;
        }
        Progress progress = Progress.on(err, total, !output.json && Progress.terminal());
        try {
            return recordings ? recordings(inputs, progress, out, err) : packets(inputs, progress, out, err);
        } finally {
            progress.done();
            for (InputStream in : inputs) {
                in.close();
            }
        }
    }

    /** pcap and pcapng files, as one capture: TCP reassembly, dissection, correlation. */
    private int packets(List<InputStream> inputs, Progress progress, PrintWriter out, PrintWriter err)
            throws IOException {
        // a file can wait: a slow terminal costs time, never events
        SegmentChain chain = new SegmentChain(files.get(0).toString(), passive, output, out, err, true, Map::of, x -> x);
        OutputWatch watch = new OutputWatch(out);
        List<String> damage = new ArrayList<>();
        String stopped = null;
        try {
            for (int i = 0; i < inputs.size(); i++) {
                try (CaptureFileReader reader = CaptureFileReader.open(watch.input(progress.count(inputs.get(i), name(i))))) {
                    reader.readSegments(chain.decoder(), chain::segment);
                } catch (CaptureFileException e) {
                    damage.add(files.get(i) + ": " + e.getMessage()); // everything before it was decoded; said after the summary
                } catch (OutputWatch.Failed e) {
                    stopped = stopped(e, i);
                    break;
                }
            }
        } finally {
            progress.done();
            if (stopped == null) {
                chain.finish(); // the capture's end closes its connections; a stop for the output does not
            }
            chain.close();
            out.flush();
        }
        damage.addAll(OutputLoss.lines(chain.pipeline(), out, stopped)); // a file must lose nothing
        return report(damage, err);
    }

    /**
     * zmqtap capture files: their events as recorded, replies already paired (they are not paired
     * twice), into the same sinks and statistics as any source.
     */
    private int recordings(List<InputStream> inputs, Progress progress, PrintWriter out, PrintWriter err)
            throws IOException {
        Sink events = output.pipelineSink(out, true);
        Sink stats = output.json ? events : output.diagnostics(err, true);
        // as a pcap file: inline on this thread, statistics over the recording's own span
        Pipeline pipeline = output.recording.addTo(Pipeline.builder(files.get(0).toString()).sink(events), "read", false,
                err).statsSink(stats).statsEvery(output.statsEvery()).correlate(false).confined(true).eventTime(true)
                .filter(output.filter()).start();
        OutputWatch watch = new OutputWatch(out);
        List<String> problems = new ArrayList<>();
        List<String> live = new ArrayList<>();
        String stopped = null;
        try {
            for (int i = 0; i < inputs.size(); i++) {
                RecordingReader.Result r;
                try {
                    r = RecordingReader.read(watch.input(progress.count(inputs.get(i), name(i))), files.get(i), pipeline::accept);
                } catch (OutputWatch.Failed e) {
                    stopped = stopped(e, i);
                    break;
                }
                for (String p : r.problems()) {
                    problems.add(files.get(i) + ": " + p);
                }
                if (r.live()) {
                    live.add(files.get(i).toString());
                }
            }
        } finally {
            progress.done();
            pipeline.close();
            out.flush();
        }
        problems.addAll(OutputLoss.lines(pipeline, out, stopped));
        for (String f : live) {
            err.println(output.ansi().dim("zmqtap read: " + f + " is still being written: read up to its last flush"));
        }
        return report(problems, err);
    }

    /** E.g. {@code the output could not be written (Broken pipe): stopped reading big.pcap}. */
    private String stopped(OutputWatch.Failed e, int file) {
        return e.getMessage() + ": stopped reading " + files.get(file);
    }

    private static int report(List<String> problems, PrintWriter err) {
        for (String p : problems) {
            err.println("zmqtap: " + p);
        }
        err.flush();
        return problems.isEmpty() ? 0 : 1;
    }

    private String name(int i) {
        Path name = files.get(i).getFileName();
        return name == null ? files.get(i).toString() : name.toString();
    }

    /** A capture file opened for reading (pcap, pcapng, a recording; gzip or not); a one-line error when it cannot be. */
    static BufferedInputStream open(Path file) {
        try {
            // Smaller than the capture reader's reads (256 KiB), which then go past it straight into
            // the reader's buffer: a 1 MiB buffer here copied every byte of the file once more.
            return new BufferedInputStream(Files.newInputStream(file), 64 << 10);
        } catch (NoSuchFileException e) {
            throw new BadValueException("cannot read " + file + ": no such file");
        } catch (IOException e) {
            throw new BadValueException("cannot read " + file + ": " + e.getMessage());
        }
    }
}
