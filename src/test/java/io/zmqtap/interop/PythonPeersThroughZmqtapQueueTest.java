package io.zmqtap.interop;

import static io.zmqtap.interop.Peers.TIMEOUT;
import static io.zmqtap.interop.Peers.connectTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.event.Direction;
import io.zmqtap.feed.FeedDecoder;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.proxy.MonitoredQueue;
import io.zmqtap.testing.ChildProcess;
import io.zmqtap.testing.PythonRepr;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * libzmq programs on both ends of zmqtap's queue, and a libzmq monitor client on its feed: the
 * reference topology with zmqtap as the only Java part.
 *
 * <pre>
 * python REQ --> [ROUTER] zmqtap queue [DEALER] <-- python REP (doubles)
 *                         [PUB] <-- python SUB prints repr(recv_multipart())
 * </pre>
 */
class PythonPeersThroughZmqtapQueueTest {
    private static final List<String> RESULTS = List.of(
            "0 result:  0", "1 result:  2", "2 result:  4", "3 result:  6", "4 result:  8");
    /** What a monitor client prints for five requests from the client {@code client_id_abc}. */
    static final List<String> FEED_OF_CLIENT_ID_ABC = List.of(
            "[b'in', b'client_id_abc', b'', b'0']",
            "[b'out', b'client_id_abc', b'', b'0']",
            "[b'in', b'client_id_abc', b'', b'1']",
            "[b'out', b'client_id_abc', b'', b'2']",
            "[b'in', b'client_id_abc', b'', b'2']",
            "[b'out', b'client_id_abc', b'', b'4']",
            "[b'in', b'client_id_abc', b'', b'3']",
            "[b'out', b'client_id_abc', b'', b'6']",
            "[b'in', b'client_id_abc', b'', b'4']",
            "[b'out', b'client_id_abc', b'', b'8']");

    private final Peers peers = new Peers();

    @AfterEach
    void stop() {
        peers.close();
    }

    @Test
    void aPythonMonitorClientSeesEveryRequestAndReplyUnderTheRoutingIdTheRouterGaveTheClient() throws Exception {
        List<String> feed = pythonClientThroughZmqtap("");

        List<List<byte[]>> messages = feed.stream().map(PythonRepr::bytesList).toList();
        byte[] id = messages.get(0).get(1);
        assertThat(id).as("auto routing id: 0x00 + 4 random bytes").hasSize(5).startsWith((byte) 0);
        List<List<String>> expected = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            expected.add(hex("in".getBytes(), id, new byte[0], ascii(i)));
            expected.add(hex("out".getBytes(), id, new byte[0], ascii(2 * i)));
        }
        assertThat(messages.stream().map(m -> hex(m.toArray(byte[][]::new))).toList())
                .as("the monitor client's lines %s", feed)
                .containsExactlyElementsOf(expected);
    }

    @Test
    void aPythonMonitorClientSeesTheIdentityThePythonClientSet() throws Exception {
        assertThat(pythonClientThroughZmqtap("client_id_abc")).containsExactlyElementsOf(FEED_OF_CLIENT_ID_ABC);
    }

    @Test
    void aPythonMonitorClientPrintsTheSameFramesForZmqtapsQueueAsForPyzmqsMonitoredQueue() throws Exception {
        List<String> zmqtap = pythonClientThroughZmqtap("client_id_abc");

        Peers.PyzmqQueue pyzmq = peers.pyzmqQueue(1);
        ChildProcess monitor = peers.ready("sub", pyzmq.capture(), "10");
        pyzmq.awaitReady();
        peers.ready("server", pyzmq.backend());
        ChildProcess client = peers.ready("client", pyzmq.frontend(), "5", "client_id_abc");
        assertThat(client.linesUntil("done", TIMEOUT)).containsExactlyElementsOf(RESULTS);
        List<String> reference = monitor.linesUntil("done", TIMEOUT);

        assertThat(zmqtap).containsExactlyElementsOf(reference).containsExactlyElementsOf(FEED_OF_CLIENT_ID_ABC);
    }

    @Test
    void concurrentClientsAreToldApartByTheirIdentitiesInTheFeed() throws Exception {
        MonitoredQueue queue = peers.add(Peers.loopbackQueue().start());
        ChildProcess monitor = peers.monitor(queue, 30);
        peers.ready("server", connectTo(queue.backendEndpoints()));

        // In round i client k sends 100k+i; all three requests of a round go out before any reply is read.
        ChildProcess clients = peers.ready("clients", connectTo(queue.frontendEndpoints()), "5", "a", "b", "c");
        assertThat(clients.linesUntil("done", TIMEOUT)).hasSize(15).contains("a 4 result:  8", "c 204 result:  408");
        // What the libzmq monitor client received, read by zmqtap's feed decoder.
        FeedDecoder decoder = new FeedDecoder("python SUB");
        List<MessageEvent> feed = monitor.linesUntil("done", TIMEOUT).stream()
                .map(line -> (MessageEvent) decoder.decode(PythonRepr.bytesList(line), Instant.now()))
                .toList();

        Map<String, List<String>> byIdentity = new LinkedHashMap<>();
        for (MessageEvent m : feed) {
            byIdentity.computeIfAbsent(m.identity().text(), k -> new ArrayList<>())
                    .add(m.direction().label() + " " + m.body().get(0).text());
        }
        assertThat(byIdentity).containsOnlyKeys("a", "b", "c");
        for (int k = 0; k < 3; k++) {
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                expected.add("in " + (100 * k + i));
                expected.add("out " + 2 * (100 * k + i));
            }
            assertThat(byIdentity.get(List.of("a", "b", "c").get(k))).containsExactlyElementsOf(expected);
        }
        assertThat(feed.subList(0, 6)).as("the first round interleaves all three clients")
                .extracting(m -> m.identity().text()).contains("a", "b", "c");
        assertThat(feed).allSatisfy(m -> {
            assertThat(m.envelope()).hasSize(1);
            assertThat(m.direction()).isIn(Direction.IN, Direction.OUT);
        });
    }

    /** Five requests from a Python client through zmqtap's queue; returns what a Python monitor client printed. */
    private List<String> pythonClientThroughZmqtap(String identity) throws InterruptedException {
        MonitoredQueue queue = peers.add(Peers.loopbackQueue().start());
        ChildProcess monitor = peers.monitor(queue, 10);
        peers.ready("server", connectTo(queue.backendEndpoints()));

        ChildProcess client = peers.ready("client", connectTo(queue.frontendEndpoints()), "5", identity);

        assertThat(client.linesUntil("done", TIMEOUT)).containsExactlyElementsOf(RESULTS);
        return monitor.linesUntil("done", TIMEOUT);
    }

    private static byte[] ascii(int n) {
        return Integer.toString(n).getBytes(StandardCharsets.US_ASCII);
    }

    private static List<String> hex(byte[]... frames) {
        List<String> result = new ArrayList<>();
        for (byte[] f : frames) {
            result.add(HexFormat.of().formatHex(f));
        }
        return result;
    }
}
