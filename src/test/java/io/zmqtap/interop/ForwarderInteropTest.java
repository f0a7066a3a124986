package io.zmqtap.interop;

import static io.zmqtap.interop.Peers.TIMEOUT;
import static io.zmqtap.interop.Peers.connectTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.proxy.MonitoredQueue;
import io.zmqtap.testing.ChildProcess;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;

/**
 * zmqtap as an XSUB/XPUB forwarder between a libzmq publisher and subscriber.
 *
 * <pre>
 * python PUB --> [XSUB] zmqtap [XPUB] <-- python SUB (topic "weather")
 *                       [PUB] <-- python SUB (capture)
 * </pre>
 *
 * The subscription travels upstream, subscriber to publisher (direction out, as a ZMTP 3.0 data
 * frame {@code \x01weather}: JeroMQ speaks 3.0, so libzmq does not use the 3.1 SUBSCRIBE command
 * with it); the publisher then sends only matching messages, which travel downstream (in).
 */
class ForwarderInteropTest {
    private final Peers peers = new Peers();

    @AfterEach
    void stop() {
        peers.close();
    }

    @Test
    void aSubscriberGetsOnlyItsTopicAndTheCaptureShowsTheSubscriptionGoingUpstream() throws Exception {
        MonitoredQueue forwarder = peers.add(Peers.loopbackQueue()
                .frontendType(SocketType.XSUB)
                .backendType(SocketType.XPUB)
                .start());
        ChildProcess capture = peers.monitor(forwarder, 4);
        // Publishes "weather N" and "sports N" every 10 ms, to nobody until the subscription reaches it.
        peers.ready("publisher", connectTo(forwarder.frontendEndpoints()));

        ChildProcess subscriber = peers.ready("sub", connectTo(forwarder.backendEndpoints()), "3", "weather");

        List<String> received = subscriber.linesUntil("done", TIMEOUT);
        assertThat(received).hasSize(3).allMatch(line -> line.matches("\\[b'weather \\d+']"));
        List<String> captured = capture.linesUntil("done", TIMEOUT);
        assertThat(captured.get(0)).isEqualTo("[b'out', b'\\x01weather']");
        // The forwarder captures what it forwards, so the first three data messages are the subscriber's three.
        assertThat(captured.subList(1, 4)).containsExactlyElementsOf(
                received.stream().map(line -> "[b'in', " + line.substring(1)).toList());
    }
}
