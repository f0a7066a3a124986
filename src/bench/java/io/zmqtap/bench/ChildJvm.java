package io.zmqtap.bench;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Java programs the bench runs as processes of their own (the echo server, the counting sniffer,
 * the CPU-bound neighbours, {@code zmqtap queue}): the same {@code java} and class path as the
 * bench, default JVM options, as a user would start them.
 *
 * <p>A child must end with the bench however the bench ends; killed outright, the bench cannot
 * stop it, but the child's stdin then closes. The bench's own child mains end on that by
 * themselves ({@link #awaitStdinClosed()}); a main that knows nothing of the bench (the zmqtap
 * command) runs under this class's {@link #main}, which exits the JVM when stdin closes.
 *
 * <p>Usage:
 * <pre>{@code
 * Subprocess echo = ChildJvm.start("echo server process", EchoServerProcess.class.getName(), List.of());
 * Subprocess queue = ChildJvm.startGuarded("zmqtap queue process", "io.zmqtap.cli.ZmqTap", List.of("queue", ...));
 * }</pre>
 */
public final class ChildJvm {
    private ChildJvm() {}

    /** Starts {@code mainClass} (which ends when its stdin closes) in a JVM of its own. */
    static Subprocess start(String what, String mainClass, List<String> args) {
        return Subprocess.start(what, command(mainClass, args), true);
    }

    /** Starts {@code mainClass}, which does not watch its stdin, under {@link #main}: it ends when stdin closes. */
    static Subprocess startGuarded(String what, String mainClass, List<String> args) {
        List<String> guarded = new ArrayList<>();
        guarded.add(mainClass);
        guarded.addAll(args);
        return Subprocess.start(what, command(ChildJvm.class.getName(), guarded), true);
    }

    /** {@code java -cp <the bench's class path> mainClass args...}. */
    static List<String> command(String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    /** Blocks until stdin closes (the bench stopped this child, or is gone), discarding what comes. */
    static void awaitStdinClosed() {
        InputStream in = System.in;
        byte[] buf = new byte[256];
        try {
            while (in.read(buf) >= 0) {
                // nothing is expected on stdin: only its end matters
            }
        } catch (IOException e) {
            // stdin broken: as good as closed
        }
    }

    /**
     * Runs {@code args[0]}'s {@code main} with the remaining arguments, exiting this JVM (shutdown
     * hooks run) once stdin closes.
     *
     * <p>Usage: {@code java -cp zmqtap.jar:zmqtap-VERSION-bench.jar io.zmqtap.bench.ChildJvm io.zmqtap.cli.ZmqTap queue --in ...}
     */
    public static void main(String[] args) throws Exception {
        Thread guard = new Thread(() -> {
            awaitStdinClosed();
            System.exit(0);
        }, "bench-child-guard");
        guard.setDaemon(true);
        guard.start();
        try {
            Class.forName(args[0]).getMethod("main", String[].class)
                    .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
