package io.zmqtap.bench;

import java.util.Locale;
import java.util.function.Function;
import org.zeromq.ZContext;

/**
 * The parts every setup is put between, the same for all of them in one bench: the echo server
 * the setup forwards to, and the counting sniffer that subscribes to its capture feed. Where they
 * run is the {@link Topology}: processes of their own (as deployed) or threads of the bench.
 *
 * <p>Usage:
 * <pre>{@code
 * try (Testbed bed = Testbed.open(Topology.DEPLOYED, ctx);
 *         Setup.Route route = setup.start(bed)) {
 *     LoadGenerator.connect(ctx, route.clientEndpoint(), load) ...
 * }
 * }</pre>
 */
public final class Testbed implements AutoCloseable {
    private final Topology topology;
    private final String serverEndpoint;
    private final Function<String, Sniffer> sniffers;
    private final String description;
    private final AutoCloseable[] parts;

    private Testbed(Topology topology, String serverEndpoint, Function<String, Sniffer> sniffers, String description,
            AutoCloseable... parts) {
        this.topology = topology;
        this.serverEndpoint = serverEndpoint;
        this.sniffers = sniffers;
        this.description = description;
        this.parts = parts;
    }

    /**
     * Starts the echo server and makes the sniffer ready: as child JVMs for {@link Topology#DEPLOYED}
     * (a second or two), as threads using {@code ctx} for {@link Topology#IN_PROCESS}.
     */
    public static Testbed open(Topology topology, ZContext ctx) {
        return topology == Topology.DEPLOYED ? deployed() : inProcess(ctx);
    }

    /** The echo server shares {@code ctx} (its I/O thread) with the load generator, as in the earlier sessions. */
    private static Testbed inProcess(ZContext ctx) {
        EchoServer server = EchoServer.start(ctx);
        return new Testbed(Topology.IN_PROCESS, server.endpoint(), CaptureCounter::start,
                "echo server at " + server.endpoint(), server);
    }

    private static Testbed deployed() {
        EchoServerProcess server = EchoServerProcess.start();
        try {
            SnifferProcess sniffer = SnifferProcess.start();
            return new Testbed(Topology.DEPLOYED, server.endpoint(), sniffer::subscribe,
                    String.format(Locale.ROOT, "echo server process %d at %s, sniffer process %d", server.pid(),
                            server.endpoint(), sniffer.pid()),
                    sniffer, server);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    public Topology topology() {
        return topology;
    }

    /** Where setups forward to, e.g. {@code tcp://127.0.0.1:41234}. */
    public String serverEndpoint() {
        return serverEndpoint;
    }

    /** A sniffer counting the captures published at {@code captureAddress} from now on. */
    public Sniffer subscribe(String captureAddress) {
        return sniffers.apply(captureAddress);
    }

    /**
     * For progress lines: where the parts run, e.g. {@code echo server process 4242 at tcp://127.0.0.1:41234,
     * sniffer process 4243}.
     */
    public String describe() {
        return description;
    }

    /** Stops the server and the sniffer (their processes, for sure). */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                failure = failure == null ? new IllegalStateException("cannot stop the testbed", e) : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
