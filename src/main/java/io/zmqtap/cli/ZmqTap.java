package io.zmqtap.cli;

import io.zmqtap.BadValueException;
import io.zmqtap.ZmqTapException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code zmqtap} command: see what travels over ZeroMQ sockets.
 *
 * <p>The {@code bench} subcommand lives in the benchmark harness's own jar ({@value #BENCH_COMMAND});
 * it is offered when that jar is on the class path ({@code bin/zmqtap} puts it there).
 *
 * <p>Usage: {@code System.exit(ZmqTap.commandLine().execute("queue", "--help"));}
 */
@Command(
        name = "zmqtap",
        mixinStandardHelpOptions = true,
        versionProvider = ZmqTap.Version.class,
        description = "See what travels over your ZeroMQ sockets.")
public final class ZmqTap implements Runnable {
    /** The class of {@code zmqtap bench}, in the bench jar (target/zmqtap-VERSION-bench.jar). */
    static final String BENCH_COMMAND = "io.zmqtap.bench.BenchCommand";
    private static final String BENCH = "bench";

    /**
     * The subcommands, in the order help lists them. Added by {@link #commandLine(String...)}, not
     * named in the annotation, so that a run of one of them builds only its own model: building all
     * eleven took a sixth of a second of every start (docs/benchmarks.md, the ninth session).
     */
    private static final List<Class<?>> SUBCOMMANDS = List.of(
            QueueCommand.class,
            WatchCommand.class,
            ExampleCommand.class,
            DemoCommand.class,
            ProxyCommand.class,
            CtlCommand.class,
            TapCommand.class,
            ReadCommand.class,
            ReplayCommand.class,
            SniffCommand.class,
            KeygenCommand.class,
            CommandLine.HelpCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The command line with every subcommand: for help, completion and tests. See {@link #commandLine(String...)}. */
    public static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /**
     * A command line wired with zmqtap's error handling: one-line errors, exit code 1; usage errors
     * (an unknown option, a value that cannot be used) exit with 2, also in one line.
     *
     * <p>It is built for running {@code args}: when the first argument names a subcommand, only that
     * one is built (the usage, errors and exit codes are those of the whole tree, as the rest is
     * never reached); otherwise (no arguments, an option, {@code help}, a misspelling) all of them.
     */
    public static CommandLine commandLine(String... args) {
        CommandLine cl = new CommandLine(new ZmqTap());
        String first = args.length > 0 ? args[0] : null;
        Class<?> only = SUBCOMMANDS.stream()
                .filter(c -> c != CommandLine.HelpCommand.class && names(c).contains(first))
                .findFirst().orElse(null);
        Optional<Object> bench = only == null ? benchCommand() : Optional.empty();
        if (only != null) {
            cl.addSubcommand(only);
        } else if (BENCH.equals(first) && bench.isPresent()) {
            cl.addSubcommand(BENCH, bench.get());
        } else {
            SUBCOMMANDS.forEach(cl::addSubcommand);
            bench.ifPresent(b -> cl.addSubcommand(BENCH, b));
        }
        applyToAll(cl);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println("zmqtap: " + ZmqTapException.oneLine(ex));
            err.flush();
            return ex instanceof BadValueException ? 2 : 1;
        });
        cl.setParameterExceptionHandler((ex, unmatched) -> {
            CommandLine c = ex.getCommandLine();
            PrintWriter err = c.getErr();
            err.println("zmqtap: " + ex.getMessage().strip().replace('\n', ' ') + " (see '"
                    + c.getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return 2;
        });
        return cl;
    }

    public static void main(String[] args) {
        // zmqtap's own output keeps the real stdout; whatever a library prints there by itself
        // (JeroMQ's PLAIN client prints "PLAIN Client I: invalid handshake command" when refused)
        // goes to stderr, so that it never breaks --json lines or a pipe's data. Swapped before the
        // command line is made: picocli's default handler keeps the System.out of that moment, and
        // one that differs from System.out at execute() replaces the writer given here by its own,
        // over the old System.out, whose errors nobody sees (a closed pipe went unnoticed).
        PrintWriter stdout = new PrintWriter(StandardOutput.process(), true); // the default charset, as System.out's writer had
        System.setOut(System.err);
        CommandLine cl = commandLine(args);
        cl.setOut(stdout);
        System.exit(cl.execute(args));
    }

    /** The name and aliases a subcommand class declares (reading its annotation, not building its model). */
    private static List<String> names(Class<?> command) {
        Command c = command.getAnnotation(Command.class);
        List<String> names = new ArrayList<>(List.of(c.aliases()));
        names.add(c.name());
        return names;
    }

    /** The bench harness's command, if its jar is on the class path. */
    private static Optional<Object> benchCommand() {
        Class<?> type;
        try {
            type = Class.forName(BENCH_COMMAND);
        } catch (ClassNotFoundException e) {
            return Optional.empty(); // the product jar alone: no bench
        }
        try {
            return Optional.of(type.getConstructor().newInstance());
        } catch (ReflectiveOperationException e) {
            Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
            throw new IllegalStateException("cannot create " + BENCH_COMMAND + ": " + cause, cause);
        }
    }

    /**
     * What every command shares: the build's version (each has {@code --version}, not just the top),
     * and a blank line between a header (the one line {@code zmqtap --help} lists) and the usage.
     */
    private static void applyToAll(CommandLine cl) {
        CommandLine.Model.CommandSpec spec = cl.getCommandSpec();
        if (spec.versionProvider() == null) {
            spec.versionProvider(new Version());
        }
        if (spec.usageMessage().header().length > 0 && spec.usageMessage().synopsisHeading().equals("Usage: ")) {
            spec.usageMessage().synopsisHeading("%nUsage: ");
        }
        cl.getSubcommands().values().forEach(ZmqTap::applyToAll);
    }

    /**
     * The build's version, from {@code zmqtap-version.properties} (filled in by Maven from the POM's
     * version), and the Java runtime's.
     */
    static final class Version implements CommandLine.IVersionProvider {
        static final String RESOURCE = "/io/zmqtap/zmqtap-version.properties";

        @Override
        public String[] getVersion() {
            return new String[] {
                "zmqtap " + version(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ", "
                        + System.getProperty("java.vendor") + ")"
            };
        }

        /** The version the build wrote, e.g. 0.1.0-SNAPSHOT. */
        static String version() {
            Properties p = new Properties();
            try (InputStream in = ZmqTap.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    return "(unknown: not built by Maven)";
                }
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return p.getProperty("version");
        }
    }
}
