package io.zmqtap.cli;

import io.zmqtap.Sizes;
import io.zmqtap.endpoint.Exposure;
import io.zmqtap.endpoint.SocketTypes;
import io.zmqtap.feed.CaptureFormat;
import io.zmqtap.proxy.MonitoredQueue;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/**
 * Capture, control, tuning and {@code --show} options shared by {@code queue} and {@code proxy}
 * (the output options are {@link OutputOptions}, as on {@code watch} and {@code tap}).
 */
public final class ProxyOptions {
    @Option(names = "--capture-format", paramLabel = "FORMAT", defaultValue = "prefixed",
            description = "prefixed (pyzmq MonitoredQueue: [prefix, frames...]), raw (libzmq zmq_proxy: frames only) "
                    + "or envelope ([prefix, JSON metadata, frames...]). Default: ${DEFAULT-VALUE}.")
    String captureFormat;

    @Option(names = "--in-prefix", paramLabel = "BYTES", defaultValue = "in",
            description = "First capture frame of client-to-server messages. Default: ${DEFAULT-VALUE}.")
    String inPrefix;

    @Option(names = "--out-prefix", paramLabel = "BYTES", defaultValue = "out",
            description = "First capture frame of server-to-client messages. Default: ${DEFAULT-VALUE}.")
    String outPrefix;

    @Option(names = "--control", paramLabel = "ENDPOINT",
            description = "Control socket (REP) for PAUSE, RESUME, TERMINATE, STATISTICS, e.g. @tcp://127.0.0.1:6000. "
                    + "It binds loopback unless told otherwise: a * host (@tcp://*:6000) binds 127.0.0.1; write the "
                    + "address to listen elsewhere, e.g. @tcp://0.0.0.0:6000 (zmqtap then warns: whoever reaches it "
                    + "can stop the proxy).")
    String control;

    @Option(names = "--control-type", paramLabel = "TYPE", defaultValue = "REP",
            description = "REP or PAIR. Default: ${DEFAULT-VALUE}.")
    String controlType;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "auto",
            description = "wire (zmqtap speaks ZMTP 3 over TCP itself, on one thread: the fastest; ROUTER/DEALER only), "
                    + "jeromq (JeroMQ's sockets: every pattern and transport, ZMTP 2 peers) or auto (wire when it can "
                    + "run the proxy, else jeromq). Default: ${DEFAULT-VALUE}.")
    String engine;

    @Option(names = "--hwm", paramLabel = "MSGS", defaultValue = "100000",
            description = "High-water mark of the frontend and backend (messages; jeromq engine). The wire engine "
                    + "instead stops reading a side while a peer it feeds has 1 MiB unsent. Default: ${DEFAULT-VALUE}.")
    int hwm;

    @Option(names = "--capture-hwm", paramLabel = "MSGS", defaultValue = "10000",
            description = "High-water mark of the capture socket; past it captures are dropped and counted. "
                    + "Default: ${DEFAULT-VALUE}.")
    int captureHwm;

    @Option(names = "--show",
            description = "Print every message forwarded, as watch would (every frame, the routing id as identity; "
                    + "JSON lines of zmqtap's schema with --json), and the proxy's notices with them, without a "
                    + "second process. Without it nothing is decoded or copied for printing.")
    boolean show;

    @Option(names = "--max-memory", paramLabel = "SIZE",
            description = "Memory budget: bytes all connections' buffers may hold together, e.g. 512MiB; past it the "
                    + "connections holding the most are dropped with a notice. Default: half the heap (-Xmx).")
    String maxMemory;

    @Option(names = "--max-message", paramLabel = "SIZE", defaultValue = "256MiB",
            description = "Largest message a peer may send (all its frames); a peer announcing more is disconnected "
                    + "before anything is allocated. At most 1GiB. Default: ${DEFAULT-VALUE}.")
    String maxMessage;

    @Option(names = "--max-in-flight", paramLabel = "N", defaultValue = "" + MonitoredQueue.DEFAULT_MAX_IN_FLIGHT,
            description = "Requests a REP server may have unanswered at once (wire engine): libzmq's REP drops replies "
                    + "past its high-water mark of 1000, so the queue holds further requests back. DEALER and ROUTER "
                    + "servers are never held back. Default: ${DEFAULT-VALUE}.")
    int maxInFlight;

    @Mixin
    ConnectionOptions connections = new ConnectionOptions();

    @Mixin
    BusyPollOption busyPoll = new BusyPollOption();

    @Mixin
    QueueSecurityOptions security = new QueueSecurityOptions();

    /** Applies these options to a builder. */
    MonitoredQueue.Builder apply(MonitoredQueue.Builder b) {
        b.engine(MonitoredQueue.Engine.parse(engine))
                .captureFormat(CaptureFormat.parse(captureFormat))
                .prefixes(inPrefix, outPrefix)
                .hwm(hwm)
                .captureHwm(captureHwm)
                .busyPoll(busyPoll.spell(MonitoredQueue.DEFAULT_BUSY_POLL))
                .maxMessageSize(Sizes.parse("--max-message", maxMessage))
                .maxInFlight(maxInFlight);
        security.apply(b);
        connections.maxConnections().ifPresent(b::maxConnections);
        connections.backlog().ifPresent(b::backlog);
        connections.handshakeTimeout().ifPresent(b::handshakeTimeout);
        if (maxMemory != null) {
            b.maxMemory(Sizes.parse("--max-memory", maxMemory));
        }
        if (control != null) {
            b.control(Exposure.loopbackControl(control)).controlType(SocketTypes.parse("--control-type", controlType,
                    MonitoredQueue.CONTROL_TYPES));
        }
        return b;
    }

    /**
     * The name of {@code option} as it was typed, e.g. {@code --mon-type} for {@code --capture-type}
     * given by its alias, so an error names what the user wrote.
     */
    static String typedName(CommandSpec spec, String option) {
        OptionSpec o = spec.findOption(option);
        ParseResult parsed = spec.commandLine().getParseResult();
        if (o == null || parsed == null) {
            return option;
        }
        for (String arg : parsed.originalArgs()) {
            for (String name : o.names()) {
                if (arg.equals(name) || arg.startsWith(name + "=")) {
                    return name;
                }
            }
        }
        return option;
    }

    /** A socket type option's value, checked; an error names the option as typed. */
    static org.zeromq.SocketType socketType(CommandSpec spec, String option, String value,
                                            java.util.Set<org.zeromq.SocketType> allowed) {
        return SocketTypes.parse(typedName(spec, option), value, allowed);
    }

    String describe() {
        return "capture format " + captureFormat + ", prefixes " + inPrefix + "/" + outPrefix;
    }
}
