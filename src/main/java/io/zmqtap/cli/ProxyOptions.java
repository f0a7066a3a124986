package io.zmqtap.cli;

import io.zmqtap.Sizes;
import io.zmqtap.endpoint.SocketTypes;
import io.zmqtap.feed.CaptureFormat;
import io.zmqtap.proxy.MonitoredQueue;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Capture and tuning options shared by {@code queue} and {@code proxy}. */
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
            description = "Control socket (REP) for PAUSE, RESUME, TERMINATE, STATISTICS, e.g. @tcp://127.0.0.1:6000.")
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

    @Option(names = "--stats", paramLabel = "TIME", defaultValue = "0",
            description = "Print a running summary this often to stderr, e.g. 5s (a bare number is seconds; 0: only "
                    + "at the end).")
    String stats;

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
        connections.maxConnections().ifPresent(b::maxConnections);
        connections.backlog().ifPresent(b::backlog);
        connections.handshakeTimeout().ifPresent(b::handshakeTimeout);
        if (maxMemory != null) {
            b.maxMemory(Sizes.parse("--max-memory", maxMemory));
        }
        if (control != null) {
            b.control(control).controlType(SocketTypes.parse("--control-type", controlType, MonitoredQueue.CONTROL_TYPES));
        }
        return b;
    }

    /** How often {@code --stats} asks for a running summary; zero for none. */
    java.time.Duration statsEvery() {
        return Durations.parse("--stats", stats);
    }

    String describe() {
        return "capture format " + captureFormat + ", prefixes " + inPrefix + "/" + outPrefix;
    }
}
