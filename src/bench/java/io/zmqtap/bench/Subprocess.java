package io.zmqtap.bench;

import io.zmqtap.ZmqTapException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A child process of the bench (a proxy, the echo server, the counting sniffer, the CPU-bound
 * neighbours): started, awaited until it prints its ready line, asked questions line by line,
 * stopped for sure (stdin closed, then SIGTERM, then SIGKILL).
 *
 * <p>Every child still running when the bench's JVM shuts down (Ctrl-C, SIGTERM) is stopped by one
 * shutdown hook, so a bench that is interrupted leaves no process behind. A child the bench never
 * stopped because the bench was killed outright sees its stdin close; the bench's own children
 * ({@link ChildJvm}, the Python queue) end on that.
 *
 * <p>Usage:
 * <pre>{@code
 * Subprocess p = Subprocess.start("pyzmq monitored queue", List.of("/usr/bin/python3", "-c", script), true);
 * String ready = p.awaitLine(line -> line.startsWith("ready "), Duration.ofSeconds(15));
 * String count = p.request("count", "count ", Duration.ofSeconds(5)); // "count 1234"
 * p.stop();
 * }</pre>
 */
final class Subprocess {
    private static final long EXIT_SECONDS = 3;
    /** Lines kept for an error message when the child fails. */
    private static final int RECENT_LINES = 20;
    /** Lines not yet awaited: a child printing more than this loses its oldest ones. */
    private static final int QUEUED_LINES = 10_000;
    /** Put on the line queue when the child's output ends (a distinct instance, compared by identity). */
    private static final String END = new String("end of output");
    private static final Set<Subprocess> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Subprocess::stopAll, "bench-subprocess-reaper"));
    }

    private final String what;
    private final Process process;
    private final boolean exitsOnStdinClose;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Deque<String> recent = new ArrayDeque<>();

    private Subprocess(String what, Process process, boolean exitsOnStdinClose) {
        this.what = what;
        this.process = process;
        this.exitsOnStdinClose = exitsOnStdinClose;
        Thread reader = new Thread(this::read, "bench-subprocess-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code command} with stderr merged into stdout.
     *
     * @param exitsOnStdinClose true when the program ends by itself once its stdin closes (tried
     *     before SIGTERM)
     */
    static Subprocess start(String what, List<String> command, boolean exitsOnStdinClose) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            Subprocess s = new Subprocess(what, p, exitsOnStdinClose);
            RUNNING.add(s);
            return s;
        } catch (IOException e) {
            throw new ZmqTapException("cannot start " + what + ": " + e.getMessage(), e);
        }
    }

    /** What a short command printed on stdout and how it exited; see {@link #run}. */
    record Finished(int exitValue, String output) {}

    /**
     * Runs a short command to its end (a probe such as {@code python3 -c 'import zmq'}), its stderr
     * discarded.
     *
     * @return how it exited and what it printed, or empty when it did not end within {@code timeout}
     *     (it is killed then)
     * @throws IOException when it cannot be started at all
     */
    static Optional<Finished> run(List<String> command, Duration timeout) throws IOException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = p.getInputStream()) {
                return in.readAllBytes(); // read while it runs: a full pipe would block it
            } catch (IOException e) {
                return new byte[0];
            }
        });
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return Optional.of(new Finished(p.exitValue(), new String(output.get(timeout.toMillis(), TimeUnit.MILLISECONDS),
                    StandardCharsets.UTF_8).strip()));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException | TimeoutException e) {
            return Optional.of(new Finished(p.exitValue(), ""));
        }
    }

    /** The child's process id, for progress lines. */
    long pid() {
        return process.pid();
    }

    /**
     * Reads output until a line matching {@code ready} and returns it. Fails in one line, with what
     * the child printed, if it exits or prints no such line within {@code timeout}.
     */
    String awaitLine(Predicate<String> ready, Duration timeout) {
        String line = poll(ready, timeout);
        if (line == null) {
            throw new ZmqTapException(what + " did not start: " + recentOutput());
        }
        return line;
    }

    /**
     * Writes {@code command} as one line to the child's stdin and returns its first output line
     * starting with {@code answerPrefix}; fails in one line if none comes within {@code timeout}.
     */
    synchronized String request(String command, String answerPrefix, Duration timeout) {
        try {
            OutputStream in = process.getOutputStream();
            in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw new ZmqTapException(what + " is gone (" + command + "): " + recentOutput(), e);
        }
        String line = poll(l -> l.startsWith(answerPrefix), timeout);
        if (line == null) {
            throw new ZmqTapException(what + " did not answer '" + command + "' in " + timeout.toMillis() + " ms: "
                    + recentOutput());
        }
        return line;
    }

    /** The first line matching {@code wanted} within {@code timeout}; null when the output ended or time ran out. */
    private String poll(Predicate<String> wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (long left = timeout.toNanos(); left > 0; left = deadline - System.nanoTime()) {
                String line = lines.poll(left, TimeUnit.NANOSECONDS);
                if (line == END) {
                    lines.offer(END); // every later call fails at once as well
                    process.waitFor(EXIT_SECONDS, TimeUnit.SECONDS); // its output ended: so the error can say how it exited
                    return null;
                }
                if (line != null && wanted.test(line)) {
                    return line;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    /** The reader thread: every line goes to the queue (which a caller polls) and to the recent lines. */
    private void read() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String l = out.readLine(); l != null; l = out.readLine()) {
                synchronized (recent) {
                    recent.addLast(l);
                    if (recent.size() > RECENT_LINES) {
                        recent.removeFirst();
                    }
                }
                if (lines.size() >= QUEUED_LINES) {
                    lines.poll(); // nobody asked for them: the child must never block on a full pipe
                }
                lines.offer(l);
            }
        } catch (IOException e) {
            // the process is gone: said below
        }
        lines.offer(END);
    }

    private String recentOutput() {
        List<String> seen;
        synchronized (recent) {
            seen = new ArrayList<>(recent);
        }
        String output = seen.isEmpty() ? "no output" : String.join(" | ", seen);
        return process.isAlive() ? output : "exited with " + process.exitValue() + ", " + output;
    }

    /** Ends the child and waits for it: stdin closed (if that ends it), SIGTERM, then SIGKILL. */
    void stop() {
        try {
            closeStdin();
            if (exitsOnStdinClose && process.waitFor(EXIT_SECONDS, TimeUnit.SECONDS)) {
                return;
            }
            process.destroy();
            if (!process.waitFor(EXIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(EXIT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            RUNNING.remove(this);
        }
    }

    private void closeStdin() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already closed: the child sees end of input either way
        }
    }

    /**
     * The shutdown hook: asks every child still running to end at once (stdin closed, SIGTERM), then
     * kills those still there after the grace time. All in parallel, so Ctrl-C ends quickly.
     */
    private static void stopAll() {
        List<Subprocess> left = new ArrayList<>(RUNNING);
        for (Subprocess s : left) {
            s.closeStdin();
            s.process.destroy();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(EXIT_SECONDS);
        for (Subprocess s : left) {
            try {
                long wait = Math.max(0, deadline - System.nanoTime());
                if (!s.process.waitFor(wait, TimeUnit.NANOSECONDS)) {
                    s.process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                s.process.destroyForcibly();
            }
        }
    }
}
