package io.zmqtap.cli;

import io.zmqtap.ZmqTapException;
import io.zmqtap.bench.Bench;
import io.zmqtap.bench.BenchConfig;
import io.zmqtap.bench.BenchJson;
import io.zmqtap.bench.Load;
import io.zmqtap.bench.Machine;
import io.zmqtap.bench.Report;
import io.zmqtap.bench.RunResult;
import io.zmqtap.bench.Setup;
import io.zmqtap.bench.Setups;
import io.zmqtap.bench.Targets;
import io.zmqtap.sink.Ansi;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code zmqtap bench}: the same load through no proxy, zmqtap's monitored queue, pyzmq's
 * (libzmq) and JeroMQ's {@code ZMQ.proxy}, side by side.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Measure latency and throughput through zmqtap's monitored queue, side by",
            "side with a direct connection, pyzmq's MonitoredQueue (libzmq) and",
            "JeroMQ's ZMQ.proxy. Runs on 127.0.0.1 ephemeral ports; progress goes to",
            "stderr, tables to stdout."
        })
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    BusyPollOption busyPoll = new BusyPollOption();

    @Option(names = "--setups", paramLabel = "LIST",
            description = "Setups to compare (default: direct,zmqtap,zmqtap-jeromq,zmqtap-stalled,libzmq,jeromq-proxy,tap; also zmqtap-process, the queue as its own JVM: give it --warmup 4s).")
    String setups;

    @Option(names = "--sizes", paramLabel = "LIST",
            description = "Payload sizes, e.g. 16,1KiB,64KiB (default: 16,1KiB,64KiB; --quick: 16).")
    String sizes;

    @Option(names = "--windows", paramLabel = "LIST",
            description = "Outstanding requests for the pipelined loads (default: 100,1000).")
    String windows;

    @Option(names = "--duration", paramLabel = "TIME",
            description = "Measured time per run, e.g. 3s or 500ms (default: 3s; --quick: 1s).")
    String duration;

    @Option(names = "--warmup", paramLabel = "TIME",
            description = "Unmeasured traffic before each run (default: 1s; --quick: 300ms).")
    String warmup;

    @Option(names = "--rounds", paramLabel = "N",
            description = "Interleaved rounds per load and setup; the median is reported (default: 3; --quick: 1).")
    Integer rounds;

    @Option(names = "--quick", description = "A short run (16 B only, 1 s per run, one round): under a minute.")
    boolean quick;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
    Path json;

    @Option(names = "--decoder", paramLabel = "TIME", arity = "0..1", fallbackValue = "3s",
            description = "Also measure the ZMTP decoder alone for TIME (default 3s): GB/s on 64 KiB frames, "
                    + "frames/s on 16 B frames.")
    String decoder;

    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto",
            description = "Colour the tables: auto (on a terminal), always, never.")
    String color;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BenchConfig config = config(note -> {
            err.println("zmqtap bench: " + note);
            err.flush();
        });
        if (config.setups().isEmpty()) {
            throw new ZmqTapException("no setup left to run");
        }
        List<RunResult> results = new Bench(config, err).run();
        Ansi ansi = Ansi.forMode(color);
        out.print(new Report(ansi).tables(results));
        String targets = Targets.check(results).format(ansi);
        if (!targets.isEmpty()) {
            out.println();
            out.print(targets);
        }
        if (decoder != null) {
            err.println("zmqtap bench: measuring the ZMTP decoder alone for " + decoder);
            err.flush();
            out.println();
            out.println("ZMTP decoder, one core");
            out.println(io.zmqtap.bench.DecoderBench.run(Durations.parse("--decoder", decoder)));
        }
        out.flush();
        if (json != null) {
            Files.writeString(json, BenchJson.toJson(Machine.current(), config, results), StandardCharsets.UTF_8);
        }
        return 0;
    }

    /** The run described by the options; {@code --quick} only changes what was not given explicitly. */
    BenchConfig config(java.util.function.Consumer<String> notes) {
        List<Setup> chosen = Setups.available(
                Setups.select(setups != null ? setups : String.join(",", Setups.DEFAULT), busyPoll.given()), notes);
        List<Integer> sizeList = sizes != null ? BenchConfig.parseSizes(sizes)
                : quick ? BenchConfig.QUICK_SIZES : BenchConfig.SIZES;
        List<Integer> windowList = windows != null ? BenchConfig.parseWindows(windows) : BenchConfig.WINDOWS;
        Duration measured = duration != null ? Durations.parse("--duration", duration)
                : Duration.ofMillis(quick ? 1000 : 3000);
        Duration warm = warmup != null ? Durations.parse("--warmup", warmup)
                : Duration.ofMillis(quick ? 300 : 1000);
        int roundCount = rounds != null ? rounds : quick ? 1 : 3;
        List<Load> loads = BenchConfig.loads(sizeList, windowList);
        Duration drain = Duration.ofSeconds(5).plus(measured);
        return new BenchConfig(chosen, loads, warm, measured, drain, roundCount);
    }
}
