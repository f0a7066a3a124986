package io.zmqtap.cli;

import io.zmqtap.proxy.MonitoredQueue;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code zmqtap queue}: the monitored queue of the reference topology. */
@Command(name = "queue", mixinStandardHelpOptions = true, abbreviateSynopsis = true,
        header = "Run a monitored queue between clients and a server (ROUTER/DEALER).",
        description = {
            "Run a monitored queue between clients and a server, publishing every message it forwards.",
            "Clients connect to --frontend (ROUTER), the server is reached through --backend (DEALER), and every "
                    + "message is published on --capture (PUB) as [prefix, identity, '', payload...], pyzmq "
                    + "MonitoredQueue's format; --show prints them here too. Ctrl-C prints a summary. --in, --out and "
                    + "--mon are the same as --frontend, --backend and --capture."
        })
public final class QueueCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"--frontend", "--in"}, paramLabel = "ENDPOINT", defaultValue = "@tcp://*:4444",
            description = "Frontend (clients). Default: ${DEFAULT-VALUE}.")
    String frontend;

    @Option(names = {"--backend", "--out"}, paramLabel = "ENDPOINT", defaultValue = ">tcp://localhost:5555",
            description = "Backend (server). Default: ${DEFAULT-VALUE}.")
    String backend;

    @Option(names = {"--capture", "--mon"}, paramLabel = "ENDPOINT", defaultValue = "@tcp://*:7777",
            description = "Capture feed; 'none' for no capture. Default: ${DEFAULT-VALUE}.")
    String capture;

    @Option(names = {"--frontend-type", "--in-type"}, paramLabel = "TYPE", defaultValue = "ROUTER",
            description = "Frontend socket type. Default: ${DEFAULT-VALUE}.")
    String frontendType;

    @Option(names = {"--backend-type", "--out-type"}, paramLabel = "TYPE", defaultValue = "DEALER",
            description = "Backend socket type. Default: ${DEFAULT-VALUE}.")
    String backendType;

    @Option(names = {"--capture-type", "--mon-type"}, paramLabel = "TYPE", defaultValue = "PUB",
            description = "Capture socket type: PUB, XPUB, PUSH, DEALER or PAIR. Default: ${DEFAULT-VALUE}.")
    String captureType;

    @Mixin
    ProxyOptions options;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        MonitoredQueue.Builder b = MonitoredQueue.builder()
                .frontend(frontend)
                .backend(backend)
                .frontendType(ProxyOptions.socketType(spec, "--frontend-type", frontendType,
                        MonitoredQueue.PROXY_TYPES))
                .backendType(ProxyOptions.socketType(spec, "--backend-type", backendType, MonitoredQueue.PROXY_TYPES));
        if (!"none".equalsIgnoreCase(capture)) {
            b.capture(capture).captureType(
                    ProxyOptions.socketType(spec, "--capture-type", captureType, MonitoredQueue.CAPTURE_TYPES));
        }
        options.apply(b);
        return new ProxyRunner(spec, output, options.show).run("queue", b, options.describe());
    }
}
