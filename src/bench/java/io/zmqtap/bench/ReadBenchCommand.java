package io.zmqtap.bench;

import io.zmqtap.BadValueException;
import io.zmqtap.sink.Ansi;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code zmqtap bench read}: {@link ReadBench} from the command line.
 *
 * <p>Usage: {@code zmqtap bench read --size-mb 1024 --rounds 3 --json read.json}, or
 * {@code zmqtap bench read --file capture.pcap --contended 2} (a busy host)
 */
@Command(
        name = "read",
        mixinStandardHelpOptions = true,
        header = "Measure zmqtap read against tshark -r on one capture file.",
        description = {
            "Read one capture file with zmqtap read (--quiet, text, --json; its own JVM, -Xmx256m) and with",
            "tshark -r (per packet, and -q -z conv,tcp), each a process of its own pinned to CPU 0 with its",
            "output sent to /dev/null, taking turns round after round. Prints the median MB/s, MB per CPU",
            "second and peak memory of each, zmqtap's ratios to tshark, and --quiet's peak memory on the",
            "first half of the file (it must not grow with the file). Without --file, a file of --size-mb",
            "MB of small REQ/REP messages is made with make_pcap.py in a temporary directory and deleted",
            "after. Progress goes to stderr, the table to stdout."
        })
public final class ReadBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--file", paramLabel = "FILE", description = "The capture to read (default: make one).")
    Path file;

    @Option(names = "--size-mb", paramLabel = "N", defaultValue = "1024",
            description = "MB (2^20 bytes) of the file to make (default: ${DEFAULT-VALUE}; the smallest made is about 7 MB).")
    int sizeMb;

    @Option(names = "--payload", paramLabel = "BYTES", defaultValue = "16",
            description = "Bytes per request and reply in the file to make (default: ${DEFAULT-VALUE}).")
    int payload;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "3",
            description = "Runs per reader, taken in turn; the median is reported (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--no-pin", description = "Do not pin the readers to CPU 0.")
    boolean noPin;

    @Option(names = "--contended", paramLabel = "N", defaultValue = "0",
            description = "Run every reader beside N CPU-bound threads in a process of their own, not pinned: a busy host (default: ${DEFAULT-VALUE}, an idle one).")
    int contended;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
    Path json;

    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto",
            description = "Colour the table: auto (on a terminal), always, never.")
    String color;

    @Override
    public Integer call() throws IOException {
        check();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Ansi ansi = Ansi.forMode(color);
        ReadBench.Config config = new ReadBench.Config(file, sizeMb, payload, rounds, !noPin, contended);
        ReadBench.Results results = new ReadBench(config, line -> {
            err.println("zmqtap bench read: " + line);
            err.flush();
        }).run();
        out.print(new ReadReport(ansi).format(results));
        out.flush();
        if (json != null) {
            Files.writeString(json, ReadReport.toJson(results), StandardCharsets.UTF_8);
        }
        return 0;
    }

    private void check() {
        if (file != null && !Files.isRegularFile(file)) {
            throw new BadValueException("no such file: " + file);
        }
        if (sizeMb < 1) {
            throw new BadValueException("bad --size-mb " + sizeMb + ": expected at least 1");
        }
        if (payload < 1 || payload > 65000) {
            throw new BadValueException("bad --payload " + payload + ": expected 1 to 65000 bytes");
        }
        if (rounds < 1) {
            throw new BadValueException("bad --rounds " + rounds + ": expected at least 1");
        }
        Neighbours.check(contended);
    }
}
