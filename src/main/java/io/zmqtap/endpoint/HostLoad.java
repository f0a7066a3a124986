package io.zmqtap.endpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether the host is crowded: more runnable threads than CPUs, so that a thread spinning for its
 * next input takes a CPU from one with work to do (see {@link BusyPoll}).
 *
 * <p>Linux counts the runnable threads in {@code /proc/loadavg} (the fourth field, {@code 3/456}:
 * three running or ready to run). One reading is a moment, so the count is averaged over the last
 * few readings; a reading is taken at most every {@link #SAMPLE_NANOS}, shared by every poller in
 * the process (it costs a few microseconds). The reader itself is runnable, so it is not counted.
 * Where there is no {@code /proc/loadavg}, the host never counts as crowded.
 *
 * <p>Usage: {@code if (!HostLoad.crowded()) spinForInput(); else sleepUntilInput();}
 */
public final class HostLoad {
    /** How often the host is looked at, at most: 20 ms. */
    static final long SAMPLE_NANOS = 20_000_000L;
    private static final Path LOADAVG = Path.of("/proc/loadavg");
    private static final int CPUS = Runtime.getRuntime().availableProcessors();
    private static final boolean READABLE = Files.isReadable(LOADAVG);

    private static volatile long sampledAt = System.nanoTime() - SAMPLE_NANOS;
    private static volatile double others;
    private static volatile boolean crowded;

    private HostLoad() {}

    /** True when, lately, more threads than CPUs were ready to run besides the caller. */
    public static boolean crowded() {
        if (!READABLE) {
            return false;
        }
        long now = System.nanoTime();
        if (now - sampledAt >= SAMPLE_NANOS) {
            sampledAt = now; // racing pollers may both read: harmless
            int running = runnable();
            if (running > 0) {
                others = average(others, running - 1);
                crowded = isCrowded(others, CPUS);
            }
        }
        return crowded;
    }

    /** The running average of runnable threads besides the reader: the new reading weighs a third. */
    static double average(double before, int now) {
        return before + (now - before) / 3.0;
    }

    /** Crowded when, on average, about as many other threads as CPUs want to run (half a thread of slack for the average). */
    static boolean isCrowded(double others, int cpus) {
        return others > cpus - 0.5;
    }

    /** The running/ready count from {@code /proc/loadavg}, e.g. 3 for {@code 0.42 0.30 0.21 3/456 7890}; -1 if unreadable. */
    static int runnable() {
        try {
            return parse(new String(Files.readAllBytes(LOADAVG), StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static int parse(String loadavg) {
        String[] fields = loadavg.trim().split("\\s+");
        if (fields.length < 4 || fields[3].indexOf('/') < 0) {
            return -1;
        }
        return Integer.parseInt(fields[3].substring(0, fields[3].indexOf('/')));
    }
}
