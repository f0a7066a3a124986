package io.zmqtap.interop;

import static io.zmqtap.interop.Peers.TIMEOUT;
import static io.zmqtap.interop.Peers.connectTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zmqtap.proxy.MonitoredQueue;
import io.zmqtap.testing.ChildProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;

/**
 * zmqtap between two ROUTERs, with pyzmq MonitoredQueue's semantics: the first two frames are
 * swapped, so a client can address a worker by identity and the worker's reply finds the client.
 *
 * <pre>
 * python DEALER "client7" --> [ROUTER] zmqtap [ROUTER] <-- python ROUTERs "worker1", "worker2"
 *
 * client sends             [worker2, "", 3]
 * frontend receives        [client7, worker2, "", 3]
 * backend sends (swapped)  [worker2, client7, "", 3]       capture: [in, worker2, client7, "", 3]
 * worker2 receives         [proxy-id, client7, "", 3]      and replies [proxy-id, client7, "", 6]
 * backend receives         [worker2, client7, "", 6]
 * frontend sends (swapped) [client7, worker2, "", 6]       capture: [out, client7, worker2, "", 6]
 * client receives          [worker2, "", 6]
 * </pre>
 */
class RouterRouterInteropTest {
    private final Peers peers = new Peers();

    @AfterEach
    void stop() {
        peers.close();
    }

    @Test
    void routingIdsAreSwappedSoAClientCanAddressAWorkerAndTheCaptureShowsTheSwappedFrames() throws Exception {
        MonitoredQueue queue = peers.add(Peers.loopbackQueue()
                .frontendType(SocketType.ROUTER)
                .backendType(SocketType.ROUTER)
                .start());
        ChildProcess capture = peers.monitor(queue, 4);
        ChildProcess workers = peers.ready("workers", connectTo(queue.backendEndpoints()), "worker1", "worker2");
        // A ROUTER can route to a worker only once it knows the connection. The workers set
        // PROBE_ROUTER, so each sends an empty message on connecting: once both arrived, the proxy
        // knows both. Swapped, a probe is addressed to client "" which does not exist, so it is
        // counted as undeliverable (and not captured).
        await().atMost(TIMEOUT).until(() -> queue.statistics().backend().messagesIn() == 2
                && queue.statistics().undeliverable() == 2);

        ChildProcess client = peers.ready("dealer", connectTo(queue.frontendEndpoints()), "client7",
                "worker2:3", "worker1:4");

        assertThat(client.linesUntil("done", TIMEOUT)).containsExactly(
                "[b'worker2', b'', b'6']",
                "[b'worker1', b'', b'8']");
        assertThat(workers.nextLines(2, TIMEOUT)).containsExactly(
                "worker2 got [b'client7', b'', b'3'] via a 5-byte routing id",
                "worker1 got [b'client7', b'', b'4'] via a 5-byte routing id");
        assertThat(capture.linesUntil("done", TIMEOUT)).containsExactly(
                "[b'in', b'worker2', b'client7', b'', b'3']",
                "[b'out', b'client7', b'worker2', b'', b'6']",
                "[b'in', b'worker1', b'client7', b'', b'4']",
                "[b'out', b'client7', b'worker1', b'', b'8']");
        assertThat(queue.statistics().undeliverable()).isEqualTo(2);
    }
}
