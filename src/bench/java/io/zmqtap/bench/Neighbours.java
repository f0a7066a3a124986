package io.zmqtap.bench;

import io.zmqtap.BadValueException;
import java.time.Duration;
import java.util.List;

/**
 * CPU-bound neighbours for {@code zmqtap bench --contended N}: one process of its own with
 * {@code N} threads that only compute, started once for the whole bench so every setup shares the
 * machine with the same load, and stopped with the bench (also on Ctrl-C or a failure).
 *
 * <p>A busy host is where a proxy that busy-polls or leans on thread wake-ups shows its cost:
 * the scheduler now hands out time slices, so a thread that spins takes them from a thread that
 * has work. A separate process, as the neighbours of a real deployment are.
 *
 * <p>Usage:
 * <pre>{@code
 * try (Neighbours busy = Neighbours.start(2)) { // Neighbours.start(0): none, nothing started
 *     ... measure ...
 * }
 * }</pre>
 */
public final class Neighbours implements AutoCloseable {
    /** More spinning threads than this say more about the scheduler than about zmqtap. */
    public static final int MAX = 64;
    private static final Duration READY_TIMEOUT = EchoServerProcess.READY_TIMEOUT;
    /** Where each spinning thread publishes its result now and then. */
    @SuppressWarnings("unused")
    private static volatile long sink;

    private final Subprocess process;
    private final int threads;

    private Neighbours(Subprocess process, int threads) {
        this.process = process;
        this.threads = threads;
    }

    /** Starts {@code threads} spinning threads in a child JVM; 0 starts nothing. */
    public static Neighbours start(int threads) {
        check(threads);
        if (threads == 0) {
            return new Neighbours(null, 0);
        }
        Subprocess p = ChildJvm.start("CPU-bound neighbours", Neighbours.class.getName(), List.of(Integer.toString(threads)));
        try {
            p.awaitLine(l -> l.startsWith("ready "), READY_TIMEOUT);
            return new Neighbours(p, threads);
        } catch (RuntimeException e) {
            p.stop();
            throw e;
        }
    }

    /** A one-line usage error unless {@code threads} is 0 to {@link #MAX}. */
    public static int check(int threads) {
        if (threads < 0 || threads > MAX) {
            throw new BadValueException("bad --contended " + threads + ": expected 0 (an idle host) to " + MAX
                    + " CPU-bound threads");
        }
        return threads;
    }

    public int threads() {
        return threads;
    }

    /** {@code 1 CPU-bound neighbour thread}, {@code 2 CPU-bound neighbour threads}. */
    public static String describe(int threads) {
        return threads + " CPU-bound neighbour thread" + (threads == 1 ? "" : "s");
    }

    /** The neighbours' process id, or -1 when none runs. */
    long pid() {
        return process == null ? -1 : process.pid();
    }

    @Override
    public void close() {
        if (process != null) {
            process.stop();
        }
    }

    /** The child: {@code args[0]} threads that compute until stdin closes. */
    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(Neighbours::spin, "neighbour-" + i);
            t.setDaemon(true);
            t.start();
        }
        System.out.println("ready " + n);
        System.out.flush();
        ChildJvm.awaitStdinClosed();
        System.exit(0);
    }

    /** Pure computation, never blocking or yielding; the result is published so the JIT cannot drop the loop. */
    private static void spin() {
        long x = Thread.currentThread().getId() | 1;
        while (true) {
            for (int i = 0; i < 1_000_000; i++) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
            }
            sink = x;
        }
    }
}
