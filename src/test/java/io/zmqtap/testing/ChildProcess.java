package io.zmqtap.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A program run by a test in a process of its own, whose stdout lines are read with timeouts and
 * which is killed on {@link #close()}: a libzmq peer ({@link #python}: {@code /usr/bin/python3 -u -c
 * SCRIPT args...}), {@code zmqtap} in a JVM of its own ({@link #zmqtap}), or any program.
 *
 * <pre>{@code
 * try (ChildProcess peer = ChildProcess.python("server", script, List.of("server", "@tcp://127.0.0.1:*"))) {
 *     peer.awaitLine("ready", Duration.ofSeconds(10));
 *     String next = peer.nextLine(Duration.ofSeconds(10));
 * }
 * }</pre>
 *
 * Every read fails with an {@link AssertionError} naming the peer, the lines it printed and its
 * stderr when nothing comes in time or the program ended, so a test never hangs on a peer and its
 * failure says what the peer was doing.
 */
public final class ChildProcess implements AutoCloseable {
    /** Debian's interpreter, which has python3-zmq (pyzmq 24, libzmq 4.3.4). */
    public static final String PYTHON = "/usr/bin/python3";

    /** Put in the line queue when stdout ends; compared by identity. */
    private static final String END = new String("<end of output>");

    private final String name;
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> printed = Collections.synchronizedList(new ArrayList<>());
    private final StringBuffer stderr = new StringBuffer();
    private final Thread outReader;
    private final Thread errReader;
    private boolean ended;

    private ChildProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.outReader = reader(process.getInputStream(), line -> {
            printed.add(line);
            lines.add(line);
        }, () -> lines.add(END));
        this.errReader = reader(process.getErrorStream(), line -> stderr.append(line).append('\n'), () -> {});
    }

    /**
     * Starts {@code python3 -u -c script args...}.
     *
     * @param name how failures refer to this peer, e.g. "REP server"
     */
    public static ChildProcess python(String name, String script, List<String> args) {
        List<String> command = new ArrayList<>(List.of(PYTHON, "-u", "-c", script));
        command.addAll(args);
        try {
            Process process = new ProcessBuilder(command).start();
            return new ChildProcess(name, process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + PYTHON + " for " + name, e);
        }
    }

    /** Starts any program; failures name it by {@code name}. */
    public static ChildProcess program(String name, List<String> command) {
        try {
            return new ChildProcess(name, new ProcessBuilder(command).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.get(0) + " for " + name, e);
        }
    }

    /**
     * {@code zmqtap ARGS} in a JVM of its own started from the tests' class path, with JVM options
     * such as {@code -Xmx64m}: how users run it, and the only way to test a small heap or a signal.
     */
    public static ChildProcess zmqtap(String name, List<String> jvmOptions, String... args) {
        return program(name, zmqtapCommand(jvmOptions, args));
    }

    /**
     * The command line of {@link #zmqtap}, for a test that starts the process itself (its stdout a
     * pipe it reads, or closes, as a shell pipeline would).
     */
    public static List<String> zmqtapCommand(List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.zmqtap.cli.ZmqTap"));
        command.addAll(List.of(args));
        return command;
    }

    /** The program's process id. */
    public long pid() {
        return process.pid();
    }

    /** True while the program runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Sends SIGTERM (what Ctrl-C and service managers do), nothing more; see {@link #awaitExit}.
     * Through the process handle: {@code Process.destroy()} also closes our ends of its output, so
     * what it prints on the way out would be lost.
     */
    public void terminate() {
        process.toHandle().destroy();
    }

    private Thread reader(InputStream in, Consumer<String> onLine, Runnable onEnd) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    onLine.accept(line);
                }
            } catch (IOException e) {
                // the process was killed under us: its output simply ends
            } finally {
                onEnd.run();
            }
        }, "peer-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The next line the peer prints; fails when none comes within {@code timeout} or output ends. */
    public String nextLine(Duration timeout) {
        if (ended) {
            throw failure("ended before printing another line");
        }
        String line;
        try {
            line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("was interrupted while waiting for a line");
        }
        if (line == null) {
            throw failure("printed no line within " + timeout.toMillis() + " ms");
        }
        if (line == END) {
            ended = true;
            throw failure("ended before printing another line");
        }
        return line;
    }

    /** Reads the next line and fails unless it is {@code expected}, e.g. {@code "ready"}. */
    public void awaitLine(String expected, Duration timeout) {
        String line = nextLine(timeout);
        if (!line.equals(expected)) {
            throw failure("printed '" + line + "' where '" + expected + "' was expected");
        }
    }

    /** The next {@code count} lines, all within {@code timeout}. */
    public List<String> nextLines(int count, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        List<String> result = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            result.add(nextLine(Duration.ofNanos(Math.max(0, end - System.nanoTime()))));
        }
        return result;
    }

    /** Lines up to (not including) {@code last}, which must come within {@code timeout}. */
    public List<String> linesUntil(String last, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        List<String> result = new ArrayList<>();
        String line;
        while (!(line = nextLine(Duration.ofNanos(Math.max(0, end - System.nanoTime())))).equals(last)) {
            result.add(line);
        }
        return result;
    }

    /** Waits for the program to end on its own and returns its exit status. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw failure("did not exit within " + timeout.toMillis() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("was interrupted while waiting for it to exit");
        }
        return process.exitValue();
    }

    /** Every line the program printed on stdout so far, including those already read. */
    public List<String> printedLines() {
        synchronized (printed) {
            return List.copyOf(printed);
        }
    }

    /** What the peer wrote to stderr so far. */
    public String stderr() {
        return stderr.toString();
    }

    private AssertionError failure(String what) {
        return new AssertionError("peer '" + name + "' " + what + "; it printed " + printed
                + (process.isAlive() ? "" : " and exited with status " + process.exitValue())
                + (stderr.length() == 0 ? "" : "; stderr:\n" + stderr));
    }

    /** Writes one line to the program's standard input, e.g. an address it learns only now. */
    public void send(String line) {
        try {
            var stdin = process.getOutputStream();
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw failure("could not be sent '" + line + "': " + e.getMessage());
        }
    }

    /** Kills the program (SIGTERM, then SIGKILL) and waits for it and its output readers to end. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            outReader.join(2_000);
            errReader.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return "peer '" + name + "'";
    }
}
