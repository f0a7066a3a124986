package io.zmqtap.cli;

import io.zmqtap.BadValueException;
import io.zmqtap.example.DoublingClient;
import io.zmqtap.example.DoublingServer;
import io.zmqtap.security.Certificates;
import io.zmqtap.security.SocketSecurity;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code zmqtap example server|client}: the reference programs. */
@Command(name = "example", mixinStandardHelpOptions = true,
        description = "The reference client and server: the server doubles integers.",
        subcommands = {ExampleCommand.Server.class, ExampleCommand.Client.class})
public final class ExampleCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "server", mixinStandardHelpOptions = true,
            header = "A REP server that replies 2*N to each request N.",
            description = "REP server: replies 2*N to N; a request that is not an integer gets an error reply.")
    public static final class Server implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--bind", paramLabel = "ENDPOINT", defaultValue = "@tcp://*:5555",
                description = "Where to listen. Default: ${DEFAULT-VALUE}.")
        String bind;

        @Option(names = "--in-curve", paramLabel = "SECRET_CERT",
                description = "Serve CURVE with this secret certificate (NAME_secret, mode 0600): any client that "
                        + "knows its public certificate may connect.")
        java.nio.file.Path inCurve;

        @Option(names = "--json", description = "Log JSON lines: {\"type\":\"server\",\"event\":\"received\",\"text\":\"3\"}.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = JsonLineWriter.choose(spec.commandLine().getOut(), json, JsonLineWriter::serverLine);
            try (DoublingServer server = DoublingServer.start(bind, out, inCurve == null ? null
                    : SocketSecurity.curveServer(Certificates.loadSecret(inCurve)))) {
                out.println("listening REP " + String.join(",", server.endpoints()));
                out.flush();
                Runtime.getRuntime().addShutdownHook(new Thread(server::close));
                server.awaitTermination();
            }
            return 0;
        }
    }

    @Command(name = "client", mixinStandardHelpOptions = true,
            header = "A REQ client that sends 0..N-1 and prints the replies.",
            description = "REQ client: sends 0..N-1 one at a time and prints 'i result:  2i' lines.")
    public static final class Client implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--connect", paramLabel = "ENDPOINT", defaultValue = ">tcp://localhost:4444",
                description = "The queue or server. Default: ${DEFAULT-VALUE}.")
        String connect;

        @Option(names = "--identity", paramLabel = "ID", description = "Set the socket identity, e.g. client_id_abc.")
        String identity;

        @Option(names = "--count", paramLabel = "N", defaultValue = "5", description = "Requests. Default: ${DEFAULT-VALUE}.")
        int count;

        @Option(names = "--timeout", paramLabel = "TIME", defaultValue = "2s",
                description = "Give up when a reply takes longer, e.g. 500ms. Default: ${DEFAULT-VALUE}.")
        String timeout;

        @Mixin
        ClientSecurityOptions security = new ClientSecurityOptions();

        @Option(names = "--json", description = "Print JSON lines: {\"type\":\"client\",\"request\":\"3\",\"reply\":\"6\"}.")
        boolean json;

        @Override
        public Integer call() {
            Duration wait = Durations.parse("--timeout", timeout);
            if (wait.toMillis() < 1) {
                throw new BadValueException("bad --timeout '" + timeout + "': expected at least 1ms, e.g. 2s");
            }
            PrintWriter out = JsonLineWriter.choose(spec.commandLine().getOut(), json, JsonLineWriter::clientLine);
            DoublingClient.run(connect, identity, count, wait, out, security.security());
            return 0;
        }
    }
}
