package io.zmqtap.cli;

import io.zmqtap.endpoint.SocketTypes;
import io.zmqtap.proxy.MonitoredQueue;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code zmqtap queue}: the monitored queue of the reference topology. */
@Command(name = "queue", mixinStandardHelpOptions = true,
        header = "Run a monitored queue between clients and a server (ROUTER/DEALER).",
        description = {
            "Run a monitored queue: clients connect to --in (ROUTER), the server is reached through --out (DEALER),",
            "and every message is published on --mon (PUB) as [prefix, identity, '', payload...],",
            "pyzmq MonitoredQueue's format. Ctrl-C prints a summary."
        })
public final class QueueCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--in", paramLabel = "ENDPOINT", defaultValue = "@tcp://*:4444",
            description = "Frontend (clients). Default: ${DEFAULT-VALUE}.")
    String in;

    @Option(names = "--out", paramLabel = "ENDPOINT", defaultValue = ">tcp://localhost:5555",
            description = "Backend (server). Default: ${DEFAULT-VALUE}.")
    String out;

    @Option(names = "--mon", paramLabel = "ENDPOINT", defaultValue = "@tcp://*:7777",
            description = "Capture feed; 'none' for no capture. Default: ${DEFAULT-VALUE}.")
    String mon;

    @Option(names = "--in-type", paramLabel = "TYPE", defaultValue = "ROUTER",
            description = "Frontend socket type. Default: ${DEFAULT-VALUE}.")
    String inType;

    @Option(names = "--out-type", paramLabel = "TYPE", defaultValue = "DEALER",
            description = "Backend socket type. Default: ${DEFAULT-VALUE}.")
    String outType;

    @Option(names = "--mon-type", paramLabel = "TYPE", defaultValue = "PUB",
            description = "Capture socket type: PUB, PUSH, DEALER or PAIR. Default: ${DEFAULT-VALUE}.")
    String monType;

    @Mixin
    ProxyOptions options;

    @Mixin
    RunnerOptions output;

    @Override
    public Integer call() throws Exception {
        MonitoredQueue.Builder b = MonitoredQueue.builder()
                .frontend(in)
                .backend(out)
                .frontendType(SocketTypes.parse("--in-type", inType, MonitoredQueue.PROXY_TYPES))
                .backendType(SocketTypes.parse("--out-type", outType, MonitoredQueue.PROXY_TYPES));
        if (!"none".equalsIgnoreCase(mon)) {
            b.capture(mon).captureType(SocketTypes.parse("--mon-type", monType, MonitoredQueue.CAPTURE_TYPES));
        }
        options.apply(b);
        return output.runner(spec).run("queue", b, options.describe(), options.statsEvery());
    }
}
