package io.zmqtap.interop;

import static io.zmqtap.interop.Peers.TIMEOUT;
import static io.zmqtap.interop.Peers.connectTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.proxy.MonitoredQueue;
import io.zmqtap.testing.ChildProcess;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * libzmq peers that heartbeat, on both sides of the wire engine. libzmq sends PING every 50 ms here
 * and drops a connection whose peer has not answered within 200 ms, so a queue that ignored PINGs
 * would lose its connections while idle (and a REQ client its routing id).
 *
 * <pre>
 * python REQ (PING) --> [ROUTER] zmqtap wire engine [DEALER] <-- python REP (PING)
 * </pre>
 */
class WireEngineInteropTest {
    private final Peers peers = new Peers();

    @AfterEach
    void stop() {
        peers.close();
    }

    @Test
    void libzmqHeartbeatsAreAnsweredOnBothSidesSoIdleConnectionsSurvive() throws Exception {
        MonitoredQueue queue = peers.add(Peers.loopbackQueue().engine(MonitoredQueue.Engine.WIRE).start());
        ChildProcess monitor = peers.monitor(queue, 6);
        ChildProcess server = peers.ready("heartbeat_server", connectTo(queue.backendEndpoints()));

        // Three requests, 600 ms apart: three times the heartbeat timeout each time.
        ChildProcess client = peers.ready("heartbeat_client", connectTo(queue.frontendEndpoints()), "3", "600");

        assertThat(client.linesUntil("done", TIMEOUT))
                .containsExactly("0 result:  0", "1 result:  2", "2 result:  4", "dropped 0");
        assertThat(server.nextLines(3, TIMEOUT))
                .containsExactly("served 0 dropped 0", "served 1 dropped 0", "served 2 dropped 0");
        // One connection all along: the router never had to name the client anew.
        List<String> feed = monitor.linesUntil("done", TIMEOUT);
        assertThat(feed.stream().map(line -> line.split(", ")[1]).distinct()).hasSize(1);
        assertThat(queue.statistics().undeliverable()).isZero();
    }
}
