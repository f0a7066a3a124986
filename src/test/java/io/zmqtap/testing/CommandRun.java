package io.zmqtap.testing;

import io.zmqtap.cli.ZmqTap;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;

/**
 * A {@code zmqtap} command line run on a thread of its own, its output captured, for commands that
 * run until something happens (e.g. {@code watch -n 10}).
 *
 * <pre>{@code
 * try (CommandRun watch = CommandRun.start("watch", "--raw", "-n", "10", ">tcp://127.0.0.1:7777")) {
 *     ... make traffic ...
 *     assertThat(watch.awaitExit(Duration.ofSeconds(10))).isZero();
 *     List<String> lines = watch.outLines();
 * }
 * }</pre>
 */
public final class CommandRun implements AutoCloseable {
    private final List<String> args;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final Thread thread;
    private volatile Integer exitCode;

    private CommandRun(List<String> args, Writer stdout) {
        this.args = args;
        CommandLine cl = ZmqTap.commandLine();
        cl.setOut(new PrintWriter(stdout != null ? stdout : out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] argv = args.toArray(new String[0]);
        this.thread = new Thread(() -> exitCode = cl.execute(argv), "zmqtap-" + args.get(0));
        this.thread.setDaemon(true);
    }

    public static CommandRun start(String... args) {
        return start(null, args);
    }

    /** As {@link #start(String...)}, writing standard output to {@code stdout} (e.g. one that fails), not capturing it. */
    public static CommandRun start(Writer stdout, String... args) {
        CommandRun run = new CommandRun(Arrays.asList(args), stdout);
        run.thread.start();
        return run;
    }

    /** Waits for the command to return and gives its exit code; fails, showing its output, on timeout. */
    public int awaitExit(Duration timeout) {
        try {
            thread.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for zmqtap " + args, e);
        }
        if (thread.isAlive() || exitCode == null) {
            throw new AssertionError("zmqtap " + String.join(" ", args) + " did not end within "
                    + timeout.toMillis() + " ms; stdout:\n" + out + "stderr:\n" + err);
        }
        return exitCode;
    }

    public String out() {
        return out.toString();
    }

    public String err() {
        return err.toString();
    }

    /** Standard output split into lines. */
    public List<String> outLines() {
        String text = out.toString();
        return text.isEmpty() ? List.of() : List.of(text.split("\\R"));
    }

    /** Interrupts the command if it is still running (commands stop and clean up on interrupt). */
    @Override
    public void close() {
        if (thread.isAlive()) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
