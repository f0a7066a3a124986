package io.zmqtap.bench;

import io.zmqtap.proxy.MonitoredQueue;
import java.time.Duration;
import java.util.Optional;
import org.zeromq.SocketType;

/**
 * zmqtap's {@link MonitoredQueue}: ROUTER frontend, DEALER backend, PUB capture in pyzmq's
 * MonitoredQueue format, forwarding on its own thread, with the engine given (the wire engine by
 * default, or JeroMQ's sockets).
 */
public final class ZmqtapSetup implements Setup {
    private final Duration busyPoll;
    private final MonitoredQueue.Engine engine;

    /**
     * @param busyPoll the spell zmqtap's forwarding threads poll before sleeping (see {@code BusyPoll}); empty: the default
     * @param engine the queue's engine: the default ({@code AUTO}, which picks the wire engine here) is setup
     *               {@code zmqtap}; {@code JEROMQ} is {@code zmqtap-jeromq}
     */
    public ZmqtapSetup(Optional<Duration> busyPoll, MonitoredQueue.Engine engine) {
        this.busyPoll = busyPoll.orElse(MonitoredQueue.DEFAULT_BUSY_POLL);
        this.engine = engine;
    }

    @Override
    public String name() {
        return engine == MonitoredQueue.Engine.JEROMQ ? "zmqtap-jeromq" : "zmqtap";
    }

    @Override
    public Route start(Testbed testbed) {
        MonitoredQueue queue = startQueue(testbed.serverEndpoint(), busyPoll, engine);
        try {
            return CapturedRoute.subscribe(testbed, address(queue.frontendEndpoints().get(0)),
                    address(queue.captureEndpoints().get(0)), queue::close, () -> queue.statistics().captureDropped());
        } catch (RuntimeException e) {
            queue.close();
            throw e;
        }
    }

    /** The only place that knows the engine's API: a queue in front of the echo server, defaults otherwise. */
    static MonitoredQueue startQueue(String serverEndpoint, Duration busyPoll, MonitoredQueue.Engine engine) {
        return MonitoredQueue.builder()
                .frontend("@tcp://127.0.0.1:*")
                .backend(">" + serverEndpoint)
                .capture("@tcp://127.0.0.1:*")
                .frontendType(SocketType.ROUTER)
                .backendType(SocketType.DEALER)
                .busyPoll(busyPoll)
                .engine(engine)
                .start();
    }

    /** {@code @tcp://127.0.0.1:41234} becomes {@code tcp://127.0.0.1:41234}, the address to connect to. */
    static String address(String resolved) {
        return resolved.startsWith("@") || resolved.startsWith(">") ? resolved.substring(1) : resolved;
    }
}
