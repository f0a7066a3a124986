package io.zmqtap.cli;

import io.zmqtap.BadValueException;
import io.zmqtap.dissect.Dissector;
import io.zmqtap.endpoint.Endpoint;
import io.zmqtap.event.CaptureEvent;
import io.zmqtap.pcap.CaptureFileException;
import io.zmqtap.pcap.CaptureFileReader;
import io.zmqtap.pcap.TcpDecoder;
import io.zmqtap.pcap.TcpReassembler;
import io.zmqtap.record.RecordingReader;
import io.zmqtap.replay.Outcome;
import io.zmqtap.replay.ReplayJson;
import io.zmqtap.replay.ReplayPlan;
import io.zmqtap.replay.ReplaySummary;
import io.zmqtap.replay.Replayer;
import io.zmqtap.replay.RequestResult;
import io.zmqtap.replay.Speed;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code zmqtap replay}: the client side of a recording sent to a server again, each new reply
 * compared with the recorded one (docs/replay.md).
 *
 * <pre>
 * zmqtap replay orders.zcap --to &gt;tcp://localhost:5555
 * zmqtap replay orders.zcap --to &gt;tcp://localhost:5555 --speed max --filter 'payload ~ "BUY"' --json
 * </pre>
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        header = "Send recorded requests again and compare the replies.",
        description = {
            "Read recordings (what --write recorded, or pcap files) and send the client side of each request/reply "
                    + "conversation to the server at --to again: a REQ's requests on a REQ, a DEALER's (routing frames "
                    + "and all) on a DEALER, each conversation on its own socket, with the identity the client chose "
                    + "when it chose one. Each new reply is compared with the recorded one.",
            "Prints each request whose reply differs or did not come (every request with --all), then a summary. "
                    + "Exit code 0 when every reply was the recorded one, 1 when any differed or did not come."
        })
public final class ReplayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE",
            description = "Recordings (zmqtap capture files) or pcap/pcapng files, read in the order given.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--to", required = true, paramLabel = "ENDPOINT",
            description = "The server to send to, e.g. >tcp://localhost:5555.")
    String to;

    @Option(names = "--speed", paramLabel = "SPEED", defaultValue = "1x",
            description = "1x keeps the recorded gaps between requests (2x halves them, 0.5x doubles them); max sends "
                    + "each as soon as its conversation may. Default: ${DEFAULT-VALUE}.")
    String speed;

    @Option(names = "--timeout", paramLabel = "TIME", defaultValue = "5s",
            description = "How long to wait for each reply; a reply that does not come counts as a difference. "
                    + "Default: ${DEFAULT-VALUE}.")
    String timeout;

    @Option(names = "--window", paramLabel = "N", defaultValue = "100",
            description = "At most N requests of a DEALER conversation in flight at once. Default: ${DEFAULT-VALUE}.")
    int window;

    @Option(names = "--filter", paramLabel = "EXPR",
            description = "Replay only the requests EXPR selects, e.g. 'payload ~ \"BUY\"' (see docs/filters.md).")
    String filter;

    @Option(names = "--all", description = "Print a line for every request, also those whose reply was the same.")
    boolean all;

    @Option(names = "--json", description = "Print a JSON line per request and a summary line (docs/replay.md).")
    boolean json;

    @Option(names = "--redact",
            description = "Mask the payloads of the requests and replies printed (text and JSON), as --redact does "
                    + "elsewhere: frames show as (redacted 12 B), sizes, frame positions and where a reply differs "
                    + "stay. The replies are compared with their bytes all the same.")
    boolean redact;

    @Option(names = "--max-bytes", paramLabel = "N", defaultValue = "64",
            description = "Show at most N bytes of each frame in text output. Default: ${DEFAULT-VALUE}.")
    int maxBytes;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // every option checked before a file is read or a socket opened
        Replayer replayer = Replayer.to(Endpoint.parse(to)).speed(Speed.parse(speed))
                .timeout(positive(Durations.parse("--timeout", timeout))).window(window);
        ReplayPlan.Builder plan = ReplayPlan.builder(filter());
        List<String> problems = new ArrayList<>();
        for (Path f : files) {
            read(f, plan::accept, problems);
        }
        ReplayPlan p = plan.build();
        for (String problem : problems) {
            err.println("zmqtap: " + problem);
        }
        for (String note : p.notes()) {
            err.println("zmqtap replay: " + note);
        }
        if (p.requests() == 0) {
            err.println("zmqtap replay: nothing to replay: no request from a REQ or DEALER client"
                    + (p.filteredOut() > 0 ? " that --filter selects" : "") + " in " + files.get(0)
                    + (files.size() > 1 ? " and the other files" : ""));
        }
        err.flush();
        ReplaySummary summary = replayer.run(p, r -> print(r, out));
        if (json) {
            out.println(ReplayJson.summary(summary, p.filteredOut()));
        } else {
            out.println(summary.describe() + (p.filteredOut() > 0 ? " (" + p.filteredOut() + " left out by --filter)" : ""));
        }
        out.flush();
        return summary.ok() ? 0 : 1;
    }

    private void print(RequestResult result, PrintWriter out) {
        RequestResult r = redact ? result.redacted() : result;
        boolean notable = r.outcome() == Outcome.DIFFERS || r.outcome() == Outcome.UNANSWERED;
        if (json) {
            out.println(ReplayJson.result(r));
        } else if (notable || all) {
            out.println(r.describe(maxBytes));
        } else {
            return;
        }
        out.flush();
    }

    private Predicate<CaptureEvent> filter() {
        return OutputOptions.parseFilter(filter);
    }

    private static Duration positive(Duration d) {
        if (d.isZero()) {
            throw new BadValueException("bad --timeout '0': a reply needs some time, e.g. 5s");
        }
        return d;
    }

    /** One file's events into {@code events}: a recording as recorded, a pcap file decoded as {@code read} does. */
    private static void read(Path file, Consumer<CaptureEvent> events, List<String> problems) throws IOException {
        try (BufferedInputStream in = ReadCommand.open(file)) {
            if (RecordingReader.isRecording(in)) {
                RecordingReader.Result r = RecordingReader.read(in, file, events);
                r.problems().forEach(p -> problems.add(file + ": " + p));
                return;
            }
            // a pcap file: no pairing here, so each reply is the next one on its conversation
            TcpDecoder decoder = new TcpDecoder();
            TcpReassembler reassembler = new TcpReassembler(file.toString(), new Dissector(events), events,
                    TcpReassembler.Options.defaults());
            try (CaptureFileReader reader = CaptureFileReader.open(in)) {
                reader.readSegments(decoder, reassembler::segment);
            } catch (CaptureFileException e) {
                problems.add(file + ": " + e.getMessage());
            } finally {
                reassembler.finish();
            }
        }
    }
}
