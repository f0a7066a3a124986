package io.zmqtap.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.example.DoublingClient;
import io.zmqtap.example.DoublingServer;
import io.zmqtap.feed.FeedSubscriber;
import io.zmqtap.proxy.MonitoredQueue;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Checks zmqtap's workaround for a JeroMQ 0.6.0 bug: a few percent of the TCP connections a JeroMQ
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
 * stalled connections each time, before zmqtap watched its subscribers' handshakes
 * ({@link io.zmqtap.endpoint.HandshakeWatchdog}) and gave other connecting sockets IMMEDIATE and a
 * 1 s handshake timer ({@link io.zmqtap.endpoint.Sockets#prepareToConnect}).
 */
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

    @Test
    void everyFreshClientGetsItsFirstReplyWithinThreeSeconds() throws Exception {
        try (DoublingServer server = DoublingServer.start("@tcp://127.0.0.1:*",
                new PrintWriter(new StringWriter()))) {
            for (int i = 0; i < 40; i++) {
                StringWriter out = new StringWriter();
                DoublingClient.run(Peers.connectTo(server.endpoints()), null, 1,
                        Duration.ofSeconds(3), new PrintWriter(out, true));
                assertThat(out.toString()).as("client %d", i).startsWith("0 result:  0");
            }
        }
    }
}
