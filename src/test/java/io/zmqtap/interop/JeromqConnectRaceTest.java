package io.zmqtap.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.feed.FeedSubscriber;
import io.zmqtap.proxy.MonitoredQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * Reproduces a JeroMQ 0.6.0 bug that zmqtap inherits: a few percent of the TCP connections a JeroMQ
 * socket initiates never complete the ZMTP handshake. The TCP connect succeeds, but the new
 * engine's channel is never registered with the I/O thread's selector (a cancelled selection key
 * of the connecter is still in place when the engine registers; jeromq PR #1022), so the greeting
 * is never sent and the connection idles until ZMQ_HANDSHAKE_IVL (30 s) expires and JeroMQ
 * reconnects. For zmqtap: {@code zmqtap watch >tcp://...} sometimes shows nothing for 30 s, and a
 * queue whose backend connects to the server holds requests for 30 s.
 *
 * <p>Measured: about 2-5 % of connections, to libzmq and to JeroMQ peers alike (see strace of the
 * libzmq side: it sends its 10-byte greeting start and never receives a byte). A race cannot be made
 * to fail every time; with 40 fresh connections this test failed in 6 runs out of 6 here, with 1 to 3
 * stalled connections each time.
 */
@Disabled("JeroMQ 0.6.0 connect hand-off race (jeromq PR #1022); enable once zmqtap runs on a fixed JeroMQ")
class JeromqConnectRaceTest {
    @Test
    void everyFreshFeedSubscriberCompletesItsHandshakeWithinThreeSeconds() throws Exception {
        List<Integer> stalled = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            try (MonitoredQueue queue = Peers.loopbackQueue().start()) {
                FeedSubscriber feed = FeedSubscriber.builder(Peers.connectTo(queue.captureEndpoints())).start();
                try {
                    if (!queue.awaitCaptureSubscriber(Duration.ofSeconds(3))) {
                        stalled.add(i);
                    }
                } finally {
                    feed.close();
                }
            }
        }
        assertThat(stalled).as("connections that did not handshake within 3 s").isEmpty();
    }
}
