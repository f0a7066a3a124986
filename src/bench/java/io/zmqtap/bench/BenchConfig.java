package io.zmqtap.bench;

import io.zmqtap.BadValueException;
import io.zmqtap.Sizes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What one bench run does: which setups, which loads, how long, how many interleaved rounds, where
 * the echo server and sniffer run and how busy the host is.
 *
 * <p>Usage:
 * <pre>{@code
 * BenchConfig c = new BenchConfig(Setups.select("direct,zmqtap-process,libzmq", Optional.empty()),
 *         BenchConfig.loads(List.of(16), List.of(100)), Duration.ofSeconds(1), Duration.ofSeconds(3),
 *         Duration.ofSeconds(8), 3, Topology.DEPLOYED, 2, BenchConfig.JVM_WARMUP);
 * }</pre>
 * The {@code parse*} helpers turn command-line text into values with one-line errors.
 *
 * @param setups setups to compare, in table order
 * @param loads loads to play, in table order
 * @param warmup unmeasured traffic before each measured run
 * @param duration measured traffic per run
 * @param drain how long a run waits for outstanding replies before calling them lost
 * @param rounds how many times every (load, setup) pair runs; the median round is reported
 * @param topology where the echo server and the counting sniffer run
 * @param contended CPU-bound threads in a neighbour process for the whole bench (0: none)
 * @param jvmWarmup the least warm-up of a run whose setup starts a fresh JVM, and of the testbed's
 *     processes once at the start: time for the JIT to compile the forwarding path
 */
public record BenchConfig(List<Setup> setups, List<Load> loads, Duration warmup, Duration duration, Duration drain,
        int rounds, Topology topology, int contended, Duration jvmWarmup) {
    /** Payload sizes of a full run: 16 B, 1 KiB, 64 KiB. */
    public static final List<Integer> SIZES = List.of(16, 1024, 65536);
    public static final List<Integer> WINDOWS = List.of(100, 1000);
    public static final List<Integer> QUICK_SIZES = List.of(16);
    /**
     * A fresh JVM's warm-up: with 500 ms the queue as its own process measured 130k-145k msgs/s, with
     * 4 s as fast as on a thread of the warm bench JVM (docs/benchmarks.md).
     */
    public static final Duration JVM_WARMUP = Duration.ofSeconds(4);


    public BenchConfig {
        setups = List.copyOf(setups);
        loads = List.copyOf(loads);
        if (rounds < 1) {
            throw new BadValueException("--rounds must be at least 1, not " + rounds);
        }
        Neighbours.check(contended);
    }

    /** The warm-up of one run of {@code setup}: at least {@link #jvmWarmup()} for a setup that starts a JVM. */
    public Duration warmupOf(Setup setup) {
        return setup.startsJvm() && jvmWarmup.compareTo(warmup) > 0 ? jvmWarmup : warmup;
    }

    /** Round trips at every size, then pipelined runs at every size and window. */
    public static List<Load> loads(List<Integer> sizes, List<Integer> windows) {
        List<Load> loads = new ArrayList<>();
        for (int size : sizes) {
            loads.add(Load.roundTrip(size));
        }
        for (int size : sizes) {
            for (int window : windows) {
                loads.add(Load.pipelined(size, window));
            }
        }
        return loads;
    }

    /** Parses {@code 16,1KiB,65536}: bytes, or k/KiB and m/MiB multiples of 1024. */
    public static List<Integer> parseSizes(String text) {
        List<Integer> sizes = new ArrayList<>();
        for (String part : text.split(",")) {
            long bytes = Sizes.parse("--sizes", part.strip());
            if (bytes > 64L * 1024 * 1024) {
                throw new BadValueException("bad --sizes '" + part.strip() + "': at most 64MiB");
            }
            sizes.add((int) bytes);
        }
        return List.copyOf(sizes);
    }

    /** Parses {@code 100,1000}: windows of at least 1. */
    public static List<Integer> parseWindows(String text) {
        List<Integer> windows = new ArrayList<>();
        for (String part : text.split(",")) {
            int w;
            try {
                w = Integer.parseInt(part.strip());
            } catch (NumberFormatException e) {
                w = 0;
            }
            if (w < 1 || w > 1_000_000) {
                throw new BadValueException("bad window '" + part.strip() + "': expected a number from 1 to 1000000");
            }
            windows.add(w);
        }
        return List.copyOf(windows);
    }
}
