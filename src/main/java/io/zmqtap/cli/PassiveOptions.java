package io.zmqtap.cli;

import io.zmqtap.BadValueException;
import io.zmqtap.Sizes;
import io.zmqtap.pcap.TcpReassembler;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** The options {@code sniff} and {@code read} share: which ports are ZeroMQ, which end serves, how much to keep. */
final class PassiveOptions {
    @Option(names = "--port", paramLabel = "PORT", split = ",",
            description = "A TCP port that carries ZeroMQ (repeatable or comma-separated): its connections are "
                    + "decoded even without a greeting (a connection open before the capture).")
    List<Integer> ports = new ArrayList<>();

    @Option(names = "--server-port", paramLabel = "PORT",
            description = "The server's port, for connections whose SYN was not captured: tells client from server. "
                    + "Default: the SYN, else the ZMTP facts, else the lower port.")
    Integer serverPort;

    @Option(names = "--snap", paramLabel = "SIZE", defaultValue = "1MiB",
            description = "Bytes of each frame kept in events (as tap --snap). Default: ${DEFAULT-VALUE}.")
    String snap;

    /** The bytes of each frame kept; checks every option first (one-line errors). */
    int snapBytes() {
        for (int p : ports) {
            checkPort("--port", p);
        }
        if (serverPort != null) {
            checkPort("--server-port", serverPort);
        }
        return (int) Math.min(Integer.MAX_VALUE, Sizes.parse("--snap", snap));
    }

    /** The reassembly's settings from {@code --port} and {@code --server-port}. */
    TcpReassembler.Options reassembly() {
        TcpReassembler.Options options = TcpReassembler.Options.defaults().withZeromqPorts(Set.copyOf(ports));
        return serverPort == null ? options : options.withServerPort(serverPort);
    }

    private static void checkPort(String option, int port) {
        if (port < 1 || port > 65535) {
            throw new BadValueException("bad " + option + " " + port + ": expected a TCP port, 1 to 65535");
        }
    }
}
