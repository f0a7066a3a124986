package io.zmqtap.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.endpoint.Endpoint;
import io.zmqtap.endpoint.Sockets;
import io.zmqtap.proxy.MonitoredQueue;
import io.zmqtap.proxy.ProxyStatistics;
import io.zmqtap.testing.ChildProcess;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The wire engine's limits against real libzmq 4.3 peers (pyzmq, Debian's python3-zmq).
 */
class WireEngineLimitsInteropTest {
    private final Peers peers = new Peers();
    private final ZContext ctx = peers.add(new ZContext(1));

    @AfterEach
    void closeAll() {
        peers.close();
    }

    /**
     * A libzmq REP drops replies past its send high-water mark (1000) without a word. Through the
     * queue a client may keep thousands of requests in flight, and every reply still arrives: the
     * queue sends a REP server at most 500 unanswered requests and holds the rest.
     */
    @ParameterizedTest(name = "{0} in flight")
    @ValueSource(ints = {1000, 5000})
    void everyReplyOfALibzmqRepServerArrivesWithThousandsInFlight(int window) throws Exception {
        MonitoredQueue queue = peers.add(MonitoredQueue.builder().frontend("@tcp://127.0.0.1:*")
                .backend("@tcp://127.0.0.1:*").start());
        assertThat(queue.engine()).isEqualTo(MonitoredQueue.Engine.WIRE);
        peers.ready("server", Peers.connectTo(queue.backendEndpoints())); // libzmq REP, doubling integers

        ZMQ.Socket dealer = ctx.createSocket(SocketType.DEALER);
        dealer.setHWM(0);
        dealer.setReceiveTimeOut(10_000);
        dealer.setLinger(0);
        // as zmqtap's own clients connect: JeroMQ's connect race worked around (see HandshakeWatchdog)
        Sockets.attach(dealer, Endpoint.parseList(Peers.connectTo(queue.frontendEndpoints())), "client");
        int total = 20_000;
        int sent = 0;
        Map<String, Integer> expected = new HashMap<>();
        int received = 0;
        while (received < total) {
            while (sent < total && sent - received < window) {
                dealer.sendMore(new byte[0]);
                dealer.send(Integer.toString(sent));
                expected.merge(Integer.toString(2 * sent), 1, Integer::sum);
                sent++;
            }
            byte[] delimiter = dealer.recv();
            assertThat(delimiter).as("reply %d of %d within 10 s (sent %d)", received, total, sent).isNotNull();
            String reply = dealer.recvStr();
            assertThat(expected.merge(reply, -1, Integer::sum)).as("a reply that was due: %s", reply).isZero();
            expected.remove(reply);
            received++;
        }
        ProxyStatistics s = queue.statistics();
        assertThat(s.backend().messagesIn()).isEqualTo(total);
        assertThat(s.unanswered()).isZero();
        assertThat(s.servers()).singleElement().satisfies(v -> assertThat(v.inFlight()).isZero());
    }

    /** libzmq closes at once on a mechanism it does not speak; the queue learns the peer's first, and says so. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PLAIN", "CURVE"})
    void aLibzmqClientAskingForSecurityGetsANoticeNotSilence(String mechanism) throws Exception {
        BlockingQueue<String> notices = new LinkedBlockingQueue<>();
        MonitoredQueue queue = peers.add(MonitoredQueue.builder().frontend("@tcp://127.0.0.1:*")
                .backend("@tcp://127.0.0.1:*").notices(notices::add).start());
        ChildProcess client = peers.ready("secure_client", Peers.connectTo(queue.frontendEndpoints()), mechanism);
        assertThat(notices.poll(10, TimeUnit.SECONDS)).matches("frontend: dropped the connection from 127\\.0\\.0\\.1:\\d+: "
                + "the peer wants the " + mechanism + " security mechanism; the wire engine speaks NULL only");
        assertThat(client.nextLine(Peers.TIMEOUT)).isEqualTo("no reply");
    }

    /**
     * ipc:// is a real Unix socket: libzmq peers on the path reach the queue, the queue reaches a
     * libzmq server, and a libzmq monitor client reads the capture, all over ipc.
     */
    @Test
    void libzmqPeersTalkThroughTheQueueOverIpc(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String server = "ipc://" + dir.resolve("server.sock");
        peers.ready("server", "@" + server);
        MonitoredQueue queue = peers.add(MonitoredQueue.builder()
                .frontend("@ipc://" + dir.resolve("queue.sock"))
                .backend(">" + server)
                .capture("@ipc://" + dir.resolve("capture.sock"))
                .start());
        assertThat(queue.engine()).isEqualTo(MonitoredQueue.Engine.WIRE);
        assertThat(queue.frontendEndpoints()).containsExactly("@ipc://" + dir.resolve("queue.sock"));
        ChildProcess monitor = peers.monitor(queue, 6);
        ChildProcess client = peers.ready("client", Peers.connectTo(queue.frontendEndpoints()), "3", "client_id_abc");
        assertThat(client.linesUntil("done", Peers.TIMEOUT)).containsExactly("0 result:  0", "1 result:  2", "2 result:  4");
        List<String> captured = new ArrayList<>(monitor.linesUntil("done", Peers.TIMEOUT));
        assertThat(captured).containsExactly(
                "[b'in', b'client_id_abc', b'', b'0']", "[b'out', b'client_id_abc', b'', b'0']",
                "[b'in', b'client_id_abc', b'', b'1']", "[b'out', b'client_id_abc', b'', b'2']",
                "[b'in', b'client_id_abc', b'', b'2']", "[b'out', b'client_id_abc', b'', b'4']");
        queue.close();
        assertThat(dir.resolve("queue.sock")).as("the socket file is removed with the queue").doesNotExist();
    }
}
