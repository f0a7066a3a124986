package io.zmqtap.cli;

import io.zmqtap.endpoint.SocketTypes;
import io.zmqtap.proxy.CaptureFormat;
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

    @Option(names = "--stats", paramLabel = "SECONDS", defaultValue = "0",
            description = "Print a running summary every SECONDS to stderr (0: only at the end).")
    int statsSeconds;

    @Mixin
    BusyPollOption busyPoll = new BusyPollOption();

    /** Applies these options to a builder. */
    MonitoredQueue.Builder apply(MonitoredQueue.Builder b) {
        b.engine(MonitoredQueue.Engine.parse(engine))
                .captureFormat(CaptureFormat.parse(captureFormat))
                .prefixes(inPrefix, outPrefix)
                .hwm(hwm)
                .captureHwm(captureHwm)
                .busyPoll(busyPoll.spell(MonitoredQueue.DEFAULT_BUSY_POLL));
        if (control != null) {
            b.control(control).controlType(SocketTypes.parse("--control-type", controlType, MonitoredQueue.CONTROL_TYPES));
        }
        return b;
    }

    String describe() {
        return "capture format " + captureFormat + ", prefixes " + inPrefix + "/" + outPrefix;
    }
}
