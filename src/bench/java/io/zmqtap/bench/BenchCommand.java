package io.zmqtap.bench;

import io.zmqtap.ZmqTapException;
import io.zmqtap.cli.BusyPollOption;
import io.zmqtap.cli.Durations;
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
 * {@code zmqtap bench}: the same load through no proxy, zmqtap's monitored queue (as its own process
 * and in the bench), pyzmq's (libzmq), JeroMQ's {@code ZMQ.proxy} and the tap, side by side; by
 * default as deployed (echo server and sniffer each in its own process), optionally beside CPU-bound
 * neighbours.
 *
 * <p>Usage: {@code zmqtap bench --setups direct,zmqtap-process,libzmq --sizes 16 --windows 100 --contended 2}
 * ({@code zmqtap bench read}: {@link ReadBenchCommand}, {@code zmqtap read} against {@code tshark -r})
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        subcommands = ReadBenchCommand.class,
        header = "Measure zmqtap's latency and throughput beside other proxies.",
        description = {
            "Measure latency and throughput through zmqtap's monitored queue, side by",
            "side with a direct connection, pyzmq's MonitoredQueue (libzmq) and",
            "JeroMQ's ZMQ.proxy. By default every part runs as its own process, as",
            "deployed: echo server, queue, counting sniffer. Runs on 127.0.0.1",
            "ephemeral ports; progress goes to stderr, tables to stdout."
        })
public final class BenchCommand implements Callable<Integer> {
    /** Enough for a rough look; a fresh JVM is not at full speed yet (see {@link BenchConfig#JVM_WARMUP}). */
    private static final Duration QUICK_JVM_WARMUP = Duration.ofSeconds(2);

    @Spec
    CommandSpec spec;

    @Mixin
    BusyPollOption busyPoll = new BusyPollOption();

    @Option(names = "--setups", paramLabel = "LIST",
            description = "Setups to compare (default: all of direct,zmqtap-process,zmqtap,zmqtap-jeromq,zmqtap-stalled,"
                    + "libzmq,jeromq-proxy,tap). zmqtap-process is the queue as its own JVM, the headline.")
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

    @Option(names = "--jvm-warmup", paramLabel = "TIME",
            description = "Least warm-up of a run that starts a fresh JVM (zmqtap-process), and of the echo server "
                    + "and sniffer processes once at the start, so the JIT has compiled them (default: 4s; --quick: 2s).")
    String jvmWarmup;

    @Option(names = "--topology", paramLabel = "WHERE", defaultValue = "deployed",
            description = "Where the echo server and the counting sniffer run: deployed (each its own process, as "
                    + "users run them; the headline and the queue's targets) or in-process (threads of the bench, "
                    + "as in the earlier sessions). Default: ${DEFAULT-VALUE}.")
    String topology;

    @Option(names = "--contended", paramLabel = "N", defaultValue = "0",
            description = "Run N CPU-bound threads in a neighbour process for the whole bench, beside every setup: "
                    + "a busy host (default: 0, none).")
    int contended;

    @Option(names = "--rounds", paramLabel = "N",
            description = "Interleaved rounds per load and setup; the median is reported (default: 3; --quick: 1).")
    Integer rounds;

    @Option(names = "--quick", description = "A short run (16 B only, 1 s per run, one round): about a minute.")
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
        Ansi ansi = Ansi.forMode(color);
        List<RunResult> results = new Bench(config, err).run();
        Conditions conditions = Conditions.of(config);
        Report report = new Report(ansi);
        out.println(ansi.bold("zmqtap bench, " + conditions.label()) + " (" + config.topology().describe() + ")");
        out.println();
        out.print(report.tables(results));
        for (String section : List.of(report.headline(results, conditions),
                Targets.check(results, conditions).format(ansi))) {
            if (!section.isEmpty()) {
                out.println();
                out.print(section);
            }
        }
        if (decoder != null) {
            err.println("zmqtap bench: measuring the ZMTP decoder alone for " + decoder);
            err.flush();
            out.println();
            out.println("ZMTP decoder, one core");
            out.println(DecoderBench.run(Durations.parse("--decoder", decoder)));
        }
        out.flush();
        if (json != null) {
            Files.writeString(json, BenchJson.toJson(Machine.current(), config, results), StandardCharsets.UTF_8);
        }
        return 0;
    }

    /** The run described by the options; {@code --quick} only changes what was not given explicitly. */
    BenchConfig config(java.util.function.Consumer<String> notes) {
        Topology where = Topology.parse(topology);
        int neighbours = Neighbours.check(contended);
        List<Integer> sizeList = sizes != null ? BenchConfig.parseSizes(sizes)
                : quick ? BenchConfig.QUICK_SIZES : BenchConfig.SIZES;
        List<Integer> windowList = windows != null ? BenchConfig.parseWindows(windows) : BenchConfig.WINDOWS;
        Duration measured = duration != null ? Durations.parse("--duration", duration)
                : Duration.ofMillis(quick ? 1000 : 3000);
        Duration warm = warmup != null ? Durations.parse("--warmup", warmup)
                : Duration.ofMillis(quick ? 300 : 1000);
        Duration jvmWarm = jvmWarmup != null ? Durations.parse("--jvm-warmup", jvmWarmup)
                : quick ? QUICK_JVM_WARMUP : BenchConfig.JVM_WARMUP;
        int roundCount = rounds != null ? rounds : quick ? 1 : 3;
        List<Load> loads = BenchConfig.loads(sizeList, windowList);
        Duration drain = Duration.ofSeconds(5).plus(measured);
        List<Setup> named = Setups.select(setups != null ? setups : String.join(",", Setups.DEFAULT), busyPoll.given());
        // Last: finding out whether a setup can run here starts python3, so bad values are reported first.
        List<Setup> chosen = Setups.available(named, notes);
        return new BenchConfig(chosen, loads, warm, measured, drain, roundCount, where, neighbours, jvmWarm);
    }
}
