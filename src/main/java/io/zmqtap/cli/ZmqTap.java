package io.zmqtap.cli;

import io.zmqtap.BadValueException;
import io.zmqtap.ZmqTapException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code zmqtap} command: see what travels over ZeroMQ sockets. */
@Command(
        name = "zmqtap",
        mixinStandardHelpOptions = true,
        versionProvider = ZmqTap.Version.class,
        description = "See what travels over your ZeroMQ sockets.",
        subcommands = {
            QueueCommand.class,
            WatchCommand.class,
            ExampleCommand.class,
            DemoCommand.class,
            ProxyCommand.class,
            CtlCommand.class,
            TapCommand.class,
            CommandLine.HelpCommand.class,
            BenchCommand.class,
        })
public final class ZmqTap implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * A command line wired with zmqtap's error handling: one-line errors, exit code 1; usage errors
     * (an unknown option, a value that cannot be used) exit with 2, also in one line.
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new ZmqTap());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println("zmqtap: " + ZmqTapException.oneLine(ex));
            err.flush();
            return ex instanceof BadValueException ? 2 : 1;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
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
        System.exit(commandLine().execute(args));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ZmqTap.class.getPackage().getImplementationVersion();
            return new String[] {"zmqtap " + (v == null ? "dev" : v)};
        }
    }
}
