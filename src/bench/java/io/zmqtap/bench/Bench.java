package io.zmqtap.bench;

import io.zmqtap.ZmqTapException;
import io.zmqtap.proxy.MonitoredQueue;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.zeromq.ZContext;

/**
 * Runs every setup under every load, interleaved: for each load, round after round, each setup
 * in turn (starting one further along each round), so a noisy neighbour slows all setups alike
 * rather than one. Reports each (load, setup) pair's median round.
 *
 * <p>One {@link Testbed} (echo server and counting sniffer, as processes of their own or as threads
 * of the bench, see {@link Topology}) and, with {@code contended > 0}, one process of CPU-bound
 * {@link Neighbours} serve the whole bench; both are stopped when it ends, however it ends. Child
 * JVMs are warmed up once before the first run. Every measured run gets a fresh setup, is
 * preceded by a warm-up (which also waits until the capture subscription is live; longer for a
 * setup that starts a JVM), and counts only the captures of its measured part.
 *
 * <p>Usage:
 * <pre>{@code
 * List<RunResult> results = new Bench(config, progress).run();
 * out.print(new Report(Ansi.OFF).tables(results));
 * }</pre>
 */
public final class Bench {
    private static final Duration SUBSCRIBE_LIMIT = Duration.ofSeconds(3);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    private static final int PROBES = 3;
    /** The testbed's warm-up load: the target load, the hottest path of server and sniffer. */
    private static final Load WARM_LOAD = Load.pipelined(16, 100);

    private final BenchConfig config;
    private final PrintWriter progress;

    /** @param progress where one line per measured run goes (stderr in the CLI) */
    public Bench(BenchConfig config, PrintWriter progress) {
        this.config = config;
        this.progress = progress;
    }

    /** Runs everything; results are grouped by load (config order), then setup (config order). */
    public List<RunResult> run() {
        List<Setup> setups = config.setups();
        int total = config.loads().size() * config.rounds() * setups.size();
        int done = 0;
        List<RunResult> results = new ArrayList<>();
        // Closed in reverse: the testbed and the neighbours' processes go before the context.
        try (ZContext ctx = new ZContext();
                Neighbours neighbours = Neighbours.start(config.contended());
                Testbed testbed = Testbed.open(config.topology(), ctx)) {
            if (neighbours.threads() > 0) {
                say("%s, process %d", Neighbours.describe(neighbours.threads()), neighbours.pid());
            }
            say("%s (%s)", config.topology().describe(), testbed.describe());
            if (config.topology() == Topology.DEPLOYED) {
                warmTestbed(ctx, testbed);
            }
            for (Load load : config.loads()) {
                Map<String, List<Round>> rounds = new LinkedHashMap<>();
                setups.forEach(s -> rounds.put(s.name(), new ArrayList<>()));
                for (int r = 0; r < config.rounds(); r++) {
                    for (int i = 0; i < setups.size(); i++) {
                        Setup setup = setups.get((i + r) % setups.size());
                        Round round = measure(ctx, testbed, setup, load);
                        rounds.get(setup.name()).add(round);
                        done++;
                        progress.printf(Locale.ROOT, "[%d/%d] %s, %s, round %d/%d: %s%n", done, total, load.label(),
                                setup.name(), r + 1, config.rounds(), describe(round));
                        progress.flush();
                    }
                }
                for (Setup setup : setups) {
                    results.add(median(setup.name(), load, rounds.get(setup.name())));
                }
            }
        }
        return results;
    }

    /**
     * Warms the testbed's child JVMs (and the load generator) once, with {@link BenchConfig#jvmWarmup()}
     * of pipelined traffic through zmqtap's queue on a thread of the bench, so the first runs do not
     * measure a server and a sniffer that are still compiling.
     */
    private void warmTestbed(ZContext ctx, Testbed testbed) {
        if (config.jvmWarmup().isZero()) {
            return;
        }
        Setup warmer = new ZmqtapSetup(Optional.empty(), MonitoredQueue.Engine.AUTO);
        say("warming the echo server and sniffer processes up for %s", seconds(config.jvmWarmup()));
        try (Setup.Route route = warmer.start(testbed);
                LoadGenerator gen = LoadGenerator.connect(ctx, route.clientEndpoint(), WARM_LOAD)) {
            probe(gen, warmer, WARM_LOAD);
            gen.run(config.jvmWarmup(), config.drain());
        }
    }

    /** One measured run: fresh setup, warm-up, measurement, captures of the measured part. */
    Round measure(ZContext ctx, Testbed testbed, Setup setup, Load load) {
        try (Setup.Route route = setup.start(testbed);
                LoadGenerator gen = LoadGenerator.connect(ctx, route.clientEndpoint(), load)) {
            long expected = probe(gen, setup, load);
            expected += warmUp(gen, route, setup, load);
            long before = route.settleCaptures(expected);
            Measurement m = gen.run(config.duration(), config.drain());
            long captured = route.captures()
                    ? route.settleCaptures(before + m.sent() + m.received()) - before
                    : -1;
            long dropped = route.proxyDropped();
            if (route.captures() && dropped > 0) {
                // says whether lost captures were the proxy's own, counted drops (its subscriber fell behind)
                progress.printf(Locale.ROOT, "  %s, %s: the proxy dropped and counted %,d captures (warm-up included)%n",
                        load.label(), setup.name(), dropped);
            }
            return new Round(m, captured);
        }
    }

    /**
     * Plays the warm-up; with a capture feed, repeats it until the subscriber has seen captures,
     * resubscribing when a subscription delivered nothing (see {@link #probe}).
     *
     * @return captures the warm-up caused
     */
    private long warmUp(LoadGenerator gen, Setup.Route route, Setup setup, Load load) {
        long expected = 0;
        Duration warmup = config.warmupOf(setup);
        for (int attempt = 1; ; attempt++) {
            long limit = System.nanoTime() + SUBSCRIBE_LIMIT.toNanos();
            do {
                Measurement w = gen.run(warmup, config.drain());
                expected += w.sent() + w.received();
            } while (route.captures() && route.captured() == 0 && System.nanoTime() < limit);
            if (!route.captures() || route.captured() > 0 || attempt == PROBES) {
                return expected;
            }
            note(load, setup, "no capture within " + SUBSCRIBE_LIMIT.toSeconds() + " s, resubscribing", attempt);
            route.resubscribe();
        }
    }

    /**
     * Checks that one request gets through before the run, reconnecting the client when it does not.
     * Rarely (a few runs in a hundred, seen with JeroMQ 0.6.0 clients) a fresh connection stalls in
     * the ZMTP handshake and nothing ever passes; measuring that would measure nothing.
     *
     * @return captures the probes caused (one per request and reply that went through)
     */
    private long probe(LoadGenerator gen, Setup setup, Load load) {
        for (int attempt = 1; attempt <= PROBES; attempt++) {
            if (gen.probe(PROBE_TIMEOUT)) {
                return 2;
            }
            note(load, setup, "no reply within " + PROBE_TIMEOUT.toSeconds() + " s, reconnecting the client", attempt);
        }
        throw new ZmqTapException(setup.name() + " passed no request in " + PROBES + " connection attempts");
    }

    /** A progress line about the bench itself, e.g. {@code bench: 2 CPU-bound neighbour threads, process 4242}. */
    private void say(String format, Object... args) {
        progress.printf(Locale.ROOT, "bench: " + format + "%n", args);
        progress.flush();
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toNanos() / 1e9);
    }

    /** A progress line about a retry, indented under the run lines: {@code   <load>, <setup>: <what> (1/3)}. */
    private void note(Load load, Setup setup, String what, int attempt) {
        progress.printf(Locale.ROOT, "  %s, %s: %s (%d/%d)%n", load.label(), setup.name(), what, attempt, PROBES);
        progress.flush();
    }

    private static RunResult median(String setup, Load load, List<Round> rounds) {
        List<Double> rates = rounds.stream().map(r -> r.measurement().messagesPerSecond()).toList();
        List<Round> sorted = new ArrayList<>(rounds);
        sorted.sort(Comparator.comparingDouble(r -> r.measurement().messagesPerSecond()));
        Round mid = sorted.get((sorted.size() - 1) / 2);
        return new RunResult(setup, load, mid.measurement(), mid.captured(), rates);
    }

    private static String describe(Round round) {
        Measurement m = round.measurement();
        String s = String.format(Locale.ROOT, "%,.0f msg/s, rtt p50 %.1f us, sent %d, received %d",
                m.messagesPerSecond(), m.rttP50Us(), m.sent(), m.received());
        if (m.lost() > 0) {
            s += ", LOST " + m.lost();
        }
        if (round.captured() >= 0) {
            s += ", captured " + round.captured() + "/" + (m.sent() + m.received());
        }
        return s;
    }

    /** One measured run's raw numbers. */
    record Round(Measurement measurement, long captured) {}
}
