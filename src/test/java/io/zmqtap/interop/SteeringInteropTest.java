package io.zmqtap.interop;

import static io.zmqtap.interop.Peers.TIMEOUT;
import static io.zmqtap.interop.Peers.connectTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.proxy.MonitoredQueue;
import io.zmqtap.proxy.SocketStatistics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A libzmq program steers zmqtap's queue over its control socket as it would libzmq's
 * {@code zmq_proxy_steerable}: a REQ sending PAUSE, RESUME, STATISTICS and TERMINATE.
 */
class SteeringInteropTest {
    private final Peers peers = new Peers();

    @AfterEach
    void stop() {
        peers.close();
    }

    @Test
    void aPyzmqControlClientPausesResumesReadsStatisticsAndTerminatesTheQueue() throws Exception {
        MonitoredQueue queue = peers.add(Peers.loopbackQueue().capture(null).control("@tcp://127.0.0.1:*").start());
        peers.ready("server", connectTo(queue.backendEndpoints()));

        // The script: request 0; PAUSE; send request 1 and poll 300 ms for its reply; STATISTICS;
        // RESUME; receive reply 1; requests 2..4; STATISTICS; TERMINATE. STATISTICS frames are
        // decoded with struct.unpack('=Q'). Every request and reply from client_id_abc is
        // 13 + 0 + 1 = 14 bytes ([identity, delimiter, digit]).
        var steer = peers.ready("steer", connectTo(queue.frontendEndpoints()), connectTo(queue.controlEndpoints()),
                "client_id_abc");

        assertThat(steer.linesUntil("done", TIMEOUT)).containsExactly(
                "0 result:  0",
                "PAUSE [b'']",
                "while paused: no reply within 300 ms",
                // held in ZeroMQ's queue, not read: 1 request and 1 reply so far on each side
                "STATISTICS 8 [1, 14, 1, 14, 1, 14, 1, 14]",
                "RESUME [b'']",
                "1 result:  2",
                "2 result:  4",
                "3 result:  6",
                "4 result:  8",
                "STATISTICS 8 [5, 70, 5, 70, 5, 70, 5, 70]",
                "TERMINATE [b'']");
        assertThat(queue.awaitTermination(TIMEOUT)).isTrue();
        assertThat(queue.isRunning()).isFalse();
        assertThat(queue.failure()).isNull();
        assertThat(queue.statistics().frontend()).isEqualTo(new SocketStatistics(5, 70, 5, 70));
    }
}
