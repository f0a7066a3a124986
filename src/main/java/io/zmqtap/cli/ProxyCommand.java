package io.zmqtap.cli;

import io.zmqtap.BadValueException;
import io.zmqtap.endpoint.SocketTypes;
import io.zmqtap.proxy.MonitoredQueue;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.zeromq.SocketType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code zmqtap proxy}: any ZeroMQ device pattern, monitored and steerable. */
@Command(name = "proxy", mixinStandardHelpOptions = true,
        header = "Run a monitored, steerable proxy for any ZeroMQ device pattern.",
        description = {
            "Run a monitored, steerable proxy for any device pattern:",
            "  queue          ROUTER/DEALER (request/reply)",
            "  router-router  ROUTER/ROUTER (first two frames swapped, as pyzmq does)",
            "  forwarder      XSUB/XPUB (publish/subscribe; subscriptions flow upstream and are captured)",
            "  streamer       PULL/PUSH (pipeline)",
            "  pair           PAIR/PAIR",
            "--frontend-type/--backend-type override the pattern's types."
        })
public final class ProxyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PATTERN", defaultValue = "queue",
            description = "queue, router-router, forwarder, streamer or pair. Default: ${DEFAULT-VALUE}.")
    String pattern;

    @Option(names = "--frontend", required = true, paramLabel = "ENDPOINT", description = "Frontend endpoint(s).")
    String frontend;

    @Option(names = "--backend", required = true, paramLabel = "ENDPOINT", description = "Backend endpoint(s).")
    String backend;

    @Option(names = "--capture", paramLabel = "ENDPOINT", description = "Capture endpoint(s); none by default.")
    String capture;

    @Option(names = "--frontend-type", paramLabel = "TYPE", description = "Override the frontend socket type.")
    String frontendType;

    @Option(names = "--backend-type", paramLabel = "TYPE", description = "Override the backend socket type.")
    String backendType;

    @Option(names = "--capture-type", paramLabel = "TYPE", defaultValue = "PUB",
            description = "PUB, XPUB, PUSH, DEALER or PAIR. Default: ${DEFAULT-VALUE}.")
    String captureType;

    @Mixin
    ProxyOptions options;

    @Mixin
    RunnerOptions output;

    /** The frontend and backend types of a pattern name. */
    static SocketType[] pattern(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "queue" -> new SocketType[] {SocketType.ROUTER, SocketType.DEALER};
            case "router-router" -> new SocketType[] {SocketType.ROUTER, SocketType.ROUTER};
            case "forwarder" -> new SocketType[] {SocketType.XSUB, SocketType.XPUB};
            case "streamer" -> new SocketType[] {SocketType.PULL, SocketType.PUSH};
            case "pair" -> new SocketType[] {SocketType.PAIR, SocketType.PAIR};
            default -> throw new BadValueException("unknown pattern '" + name
                    + "': expected queue, router-router, forwarder, streamer or pair");
        };
    }

    @Override
    public Integer call() throws Exception {
        SocketType[] types = pattern(pattern);
        if (frontendType != null) {
            types[0] = SocketTypes.parse("--frontend-type", frontendType, MonitoredQueue.PROXY_TYPES);
        }
        if (backendType != null) {
            types[1] = SocketTypes.parse("--backend-type", backendType, MonitoredQueue.PROXY_TYPES);
        }
        MonitoredQueue.Builder b = MonitoredQueue.builder()
                .frontend(frontend).backend(backend).frontendType(types[0]).backendType(types[1]);
        if (capture != null) {
            b.capture(capture).captureType(SocketTypes.parse("--capture-type", captureType, MonitoredQueue.CAPTURE_TYPES));
        }
        options.apply(b);
        return output.runner(spec).run("proxy " + pattern, b, options.describe(), options.statsEvery());
    }
}
