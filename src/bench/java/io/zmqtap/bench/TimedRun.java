package io.zmqtap.bench;

import io.zmqtap.ZmqTapException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs one command as a process of its own, as a user would from a shell with its output sent to
 * /dev/null, and measures it: wall time, user and system CPU time, peak resident set.
 *
 * <p>The child runs under {@code rusage.py} (next to this class), which forks it, reaps it with
 * wait4(2) and writes the rusage to a file: the kernel's own accounting of the child, taken when it
 * is reaped, which sampling /proc/PID from here could not do without racing the child's end. When
 * {@code taskset} exists the child is pinned to CPU 0 (a JVM pinned so sees one processor, as on a
 * one-core host). Stdout is discarded; stderr goes to a file whose last line names a failure.
 *
 * <p>Usage:
 * <pre>{@code
 * TimedRun timer = TimedRun.create(workDir, true);
 * TimedRun.Stats s = timer.run("tshark -r", List.of("tshark", "-r", "big.pcap"), Duration.ofMinutes(30));
 * s.cpuSeconds(); s.peakRssKb();
 * }</pre>
 */
final class TimedRun {
    static final String TASKSET = "taskset";
    private static final String PYTHON = LibzmqSetup.PYTHON;
    /** Children running now, stopped by a shutdown hook if the bench is interrupted. */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(TimedRun::kill), "read-bench-stop"));
    }

    /**
     * What one run cost.
     *
     * @param wallSeconds from just before the fork to the reaping
     * @param userSeconds CPU time in user mode
     * @param systemSeconds CPU time in the kernel
     * @param peakRssKb the child's peak resident set, KiB
     */
    record Stats(double wallSeconds, double userSeconds, double systemSeconds, long peakRssKb) {
        double cpuSeconds() {
            return userSeconds + systemSeconds;
        }
    }

    private final Path workDir;
    private final Path script;
    private final boolean pinned;

    private TimedRun(Path workDir, Path script, boolean pinned) {
        this.workDir = workDir;
        this.script = script;
        this.pinned = pinned;
    }

    /**
     * A timer writing its scratch files into {@code workDir}; pins to CPU 0 when {@code pin} is asked
     * and {@code taskset} is on the PATH (see {@link #pinned()}).
     */
    static TimedRun create(Path workDir, boolean pin) throws IOException {
        Path script = workDir.resolve("rusage.py");
        copyResource("rusage.py", script);
        return new TimedRun(workDir, script, pin && onPath(TASKSET));
    }

    /** True when children are pinned to CPU 0. */
    boolean pinned() {
        return pinned;
    }

    /**
     * Runs {@code command} to its end and returns what it cost; throws a one-line
     * {@link ZmqTapException} naming it {@code what} when it fails or outlives {@code timeout} (it is
     * killed then).
     */
    Stats run(String what, List<String> command, Duration timeout) throws IOException {
        return run(what, command, timeout, true);
    }

    /** As {@link #run(String, List, Duration)}; {@code pin} false runs this one on any CPU, even when children are pinned. */
    Stats run(String what, List<String> command, Duration timeout, boolean pin) throws IOException {
        Path usage = Files.createTempFile(workDir, "usage", ".txt");
        Path stderr = Files.createTempFile(workDir, "stderr", ".txt");
        List<String> full = new ArrayList<>(List.of(PYTHON, script.toString(), usage.toString()));
        if (pinned && pin) {
            full.addAll(List.of(TASKSET, "-c", "0"));
        }
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderr.toFile());
        Process process = pb.start();
        RUNNING.add(process);
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                throw new ZmqTapException(what + " took longer than "
                        + (timeout.toSeconds() > 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms") + ": stopped");
            }
            String line = Files.readString(usage, StandardCharsets.UTF_8).strip();
            if (line.isEmpty()) {
                throw new ZmqTapException(what + " was not measured (exit code "
                        + process.exitValue() + "): " + lastLine(stderr));
            }
            String[] f = line.split(" ");
            int exit = Integer.parseInt(f[4]);
            if (exit != 0) {
                throw new ZmqTapException(what + " failed with exit code " + exit + ": "
                        + lastLine(stderr));
            }
            return new Stats(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                    Long.parseLong(f[3]));
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new ZmqTapException("interrupted while " + what + " ran");
        } finally {
            RUNNING.remove(process);
            Files.deleteIfExists(usage);
            Files.deleteIfExists(stderr);
        }
    }

    /** The child first, then the wrapper: killing only the wrapper would leave the child reading on. */
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last line the child wrote to stderr: where a program says why it gave up. */
    private static String lastLine(Path stderr) throws IOException {
        List<String> lines = Files.readAllLines(stderr, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "no output on stderr" : lines.get(lines.size() - 1).strip();
    }

    /** True when {@code program} is an executable file in one of the PATH's directories. */
    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** Copies a resource next to this class (a script) to {@code target}. */
    static void copyResource(String name, Path target) throws IOException {
        try (InputStream in = TimedRun.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " missing from the classpath");
            }
            Files.copy(in, target);
        }
    }
}
