package io.zmqtap.cli;

import io.zmqtap.BadValueException;
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
@Command(name = "proxy", mixinStandardHelpOptions = true, abbreviateSynopsis = true,
        header = "Run a monitored, steerable proxy for any ZeroMQ device pattern.",
        description = {
            "Run a monitored, steerable proxy for any ZeroMQ device pattern.",
            "PATTERN is one of:",
            "  queue          ROUTER/DEALER (request/reply)",
            "  router-router  ROUTER/ROUTER (first two frames swapped, as pyzmq does)",
            "  forwarder      XSUB/XPUB (publish/subscribe; subscriptions flow upstream and are captured)",
            "  streamer       PULL/PUSH (pipeline)",
            "  pair           PAIR/PAIR",
            "--frontend-type/--backend-type override the pattern's types. It takes the queue's options: --in, --out "
                    + "and --mon are the same as --frontend, --backend and --capture, and --show prints what it forwards."
        })
public final class ProxyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PATTERN", defaultValue = "queue",
            description = "queue, router-router, forwarder, streamer or pair. Default: ${DEFAULT-VALUE}.")
    String pattern;

    @Option(names = {"--frontend", "--in"}, required = true, paramLabel = "ENDPOINT",
            description = "Frontend endpoint(s).")
    String frontend;

    @Option(names = {"--backend", "--out"}, required = true, paramLabel = "ENDPOINT",
            description = "Backend endpoint(s).")
    String backend;

    @Option(names = {"--capture", "--mon"}, paramLabel = "ENDPOINT",
            description = "Capture endpoint(s); none by default ('none' too).")
    String capture;

    @Option(names = {"--frontend-type", "--in-type"}, paramLabel = "TYPE",
            description = "Override the pattern's frontend socket type.")
    String frontendType;

    @Option(names = {"--backend-type", "--out-type"}, paramLabel = "TYPE",
            description = "Override the pattern's backend socket type.")
    String backendType;

    @Option(names = {"--capture-type", "--mon-type"}, paramLabel = "TYPE", defaultValue = "PUB",
            description = "Capture socket type: PUB, XPUB, PUSH, DEALER or PAIR. Default: ${DEFAULT-VALUE}.")
    String captureType;

    @Mixin
    ProxyOptions options;

    @Mixin
    OutputOptions output;

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
            types[0] = ProxyOptions.socketType(spec, "--frontend-type", frontendType, MonitoredQueue.PROXY_TYPES);
        }
        if (backendType != null) {
            types[1] = ProxyOptions.socketType(spec, "--backend-type", backendType, MonitoredQueue.PROXY_TYPES);
        }
        MonitoredQueue.Builder b = MonitoredQueue.builder()
                .frontend(frontend).backend(backend).frontendType(types[0]).backendType(types[1]);
        if (capture != null && !"none".equalsIgnoreCase(capture)) {
            b.capture(capture).captureType(
                    ProxyOptions.socketType(spec, "--capture-type", captureType, MonitoredQueue.CAPTURE_TYPES));
        }
        options.apply(b);
        return new ProxyRunner(spec, output, options.show).run("proxy " + pattern, b, options.describe());
    }
}
