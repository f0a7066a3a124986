package io.zmqtap.tap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.management.UnixOperatingSystemMXBean;
import io.zmqtap.event.ConnectionEvent;
import io.zmqtap.event.NoticeEvent;
import io.zmqtap.testing.Closer;
import io.zmqtap.testing.Hex;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/** The tap against clients that connect and never finish their handshake, too many clients, and a dead upstream. */
class TapHostileLoadTest {
    /** The first 10 bytes of a ZMTP 3 greeting, as libzmq sends them first: then nothing more. */
    private static final byte[] PARTIAL_GREETING = Hex.bytes("ff 0000000000000001 7f");

    private final RecordingSink sink = new RecordingSink();
    private final Closer closer = new Closer();
    private final ZContext ctx = closer.add(new ZContext());

    @AfterEach
    void tearDown() {
        closer.close();
    }

    /** A JeroMQ REP server (doubling nothing: it echoes) and the tap's route to it. */
    private ZMQ.Socket repServer() {
        ZMQ.Socket rep = ctx.createSocket(SocketType.REP);
        rep.setReceiveTimeOut(10_000);
        rep.setLinger(0);
        rep.bindToRandomPort("tcp://127.0.0.1");
        return rep;
    }

    private static String endpoint(ZMQ.Socket socket) {
        return socket.getLastEndpoint();
    }

    private static InetSocketAddress address(WireTap tap) {
        String endpoint = tap.listenAddresses().get(0);
        return new InetSocketAddress("127.0.0.1", Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1)));
    }

    /** A REQ client through the tap gets its reply: the tap still serves well-behaved clients. */
    private void assertServed(WireTap tap, ZMQ.Socket rep, String request) {
        ZMQ.Socket req = ctx.createSocket(SocketType.REQ);
        req.setReceiveTimeOut(10_000);
        req.setLinger(0);
        req.connect(tap.listenAddresses().get(0));
        assertThat(req.send(request)).isTrue();
        assertThat(rep.recvStr()).isEqualTo(request);
        rep.send(request + " back");
        assertThat(req.recvStr()).isEqualTo(request + " back");
        req.close();
    }

    private static Set<Thread> tapThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("zmqtap-") && t.isAlive())
                .collect(Collectors.toSet());
    }

    /** How many half-open connections this process can afford: each costs 4 descriptors here (client, tap x2, server). */
    private static int affordableConnections(int wanted) {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os) {
            long free = os.getMaxFileDescriptorCount() - os.getOpenFileDescriptorCount() - 200;
            return (int) Math.min(wanted, free / 4);
        }
        return wanted;
    }

    @Test
    void aThousandHalfOpenConnectionsAddNoThreadsAndAWellBehavedClientIsStillServed() throws Exception {
        int count = affordableConnections(1000);
        Assumptions.assumeTrue(count >= 200, "too few file descriptors for a meaningful flood: " + count);
        Set<Thread> before = tapThreads();
        ZMQ.Socket rep = repServer();
        WireTap tap = closer.add(WireTap.builder().route("tcp://127.0.0.1:0", endpoint(rep)).sink(sink).start());
        List<SocketChannel> clients = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                SocketChannel c = SocketChannel.open(address(tap));
                clients.add(c);
                if (i % 2 == 1) {
                    c.write(ByteBuffer.wrap(PARTIAL_GREETING));
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> tap.statistics().active() == count);

            Set<Thread> added = tapThreads();
            added.removeAll(before);
            // The tap's own four (two forwarding, decoding, events); slack for other test classes running at
            // the same time. One thread per connection direction, as before, made 2,002.
            assertThat(added).as("zmqtap threads started during the flood").hasSizeLessThanOrEqualTo(16);
            assertServed(tap, rep, "through the flood");
        } finally {
            for (SocketChannel c : clients) {
                c.close();
            }
        }
        assertThat(tap.statistics().refused()).isZero();
        assertThat(tap.statistics().handshakeTimeouts()).isZero();
    }

    @Test
    void connectionsBeyondTheLimitAreClosedAtOnceCountedAndSummedUp() throws Exception {
        ZMQ.Socket rep = repServer();
        WireTap tap = closer.add(WireTap.builder().route("tcp://127.0.0.1:0", endpoint(rep)).sink(sink)
                .maxConnections(50).start());
        List<Socket> clients = new ArrayList<>();
        int refused = 0;
        try {
            for (int i = 0; i < 200; i++) {
                Socket s = new Socket();
                clients.add(s);
                if (!connectOrReset(s, address(tap))) {
                    refused++; // the tap's reset came before the connect returned
                }
            }
            for (Socket s : clients) {
                if (s.isConnected() && readOrReset(s) < 0) {
                    refused++; // a forwarded one gets the server's greeting instead
                }
            }
        } finally {
            for (Socket s : clients) {
                s.close();
            }
        }
        assertThat(refused).isEqualTo(150);
        assertThat(tap.statistics().refused()).isEqualTo(150);
        await().atMost(Duration.ofSeconds(10)).until(() -> tap.statistics().active() == 0);
        assertServed(tap, rep, "after the flood");

        tap.close(); // sums up what the window held back
        List<NoticeEvent> notices = sink.all(NoticeEvent.class);
        assertThat(notices).hasSize(4);
        String listen = tap.listenAddresses().get(0);
        assertThat(notices.subList(0, 3)).allSatisfy(n -> {
            assertThat(n.level()).isEqualTo(NoticeEvent.Level.WARNING);
            assertThat(n.text()).matches("refused the connection from 127\\.0\\.0\\.1:\\d+: 50 connections open, the most allowed");
            assertThat(n.source()).as("about the tap as a whole").isEqualTo(listen);
            assertThat(n.conn()).isNull();
        });
        assertThat(notices.get(3).source()).isEqualTo(listen);
        assertThat(notices.get(3).conn()).isNull();
        assertThat(notices.get(3).text())
                .matches("refused a connection: 50 connections open, the most allowed … and 147 more like this in the last \\d+ s");
        assertThat(tap.statistics().notices()).isEqualTo(150);
        assertThat(tap.statistics().summary()).contains(", 150 refused at the connection limit, 150 notices");
    }

    @Test
    void aConnectionWithoutHandshakeIsDroppedWithANoticeAndAHandshakenOneIsNot() throws Exception {
        ZMQ.Socket rep = repServer();
        WireTap tap = closer.add(WireTap.builder().route("tcp://127.0.0.1:0", endpoint(rep)).sink(sink)
                .handshakeTimeout(Duration.ofMillis(200)).start());
        ZMQ.Socket req = ctx.createSocket(SocketType.REQ);
        req.setReceiveTimeOut(10_000);
        req.setLinger(0);
        req.connect(tap.listenAddresses().get(0));
        req.send("first");
        assertThat(rep.recvStr()).isEqualTo("first");
        rep.send("ok");
        assertThat(req.recvStr()).isEqualTo("ok");

        try (Socket halfOpen = new Socket()) {
            halfOpen.connect(address(tap), 10_000);
            halfOpen.setSoTimeout(10_000);
            halfOpen.getOutputStream().write(PARTIAL_GREETING);
            byte[] greeting = halfOpen.getInputStream().readNBytes(10); // the server's, forwarded
            assertThat(greeting[0]).isEqualTo((byte) 0xff);
            int last;
            do {
                last = readOrReset(halfOpen); // the rest of the server's greeting, then the tap's reset
            } while (last >= 0);

            NoticeEvent notice = sink.await(NoticeEvent.class, n -> n.text().startsWith("dropped"));
            assertThat(notice.level()).isEqualTo(NoticeEvent.Level.WARNING);
            assertThat(notice.conn()).isEqualTo("c2");
            assertThat(notice.source()).isEqualTo(tap.listenAddresses().get(0));
            assertThat(notice.text()).isEqualTo("dropped the connection from 127.0.0.1:" + halfOpen.getLocalPort()
                    + ": no ZMTP handshake within 200 ms");
        }
        // The REQ connection is older than the dropped one, so its deadline passed too: it stays.
        req.send("second");
        assertThat(rep.recvStr()).isEqualTo("second");
        rep.send("ok again");
        assertThat(req.recvStr()).isEqualTo("ok again");
        assertThat(tap.statistics().handshakeTimeouts()).isEqualTo(1);
        assertThat(sink.all(ConnectionEvent.class)).allSatisfy(e -> assertThat(e.conn()).isEqualTo("c1"));
    }

    @Test
    void clientsReconnectingToADeadUpstreamMakeSummedUpNoticesNotOneLineEach() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = s.getLocalPort();
        }
        WireTap tap = closer.add(WireTap.builder().route("tcp://127.0.0.1:0", "tcp://127.0.0.1:" + closedPort)
                .sink(sink).start());
        for (int i = 0; i < 30; i++) {
            try (Socket s = new Socket()) {
                if (connectOrReset(s, address(tap))) {
                    assertThat(readOrReset(s)).isEqualTo(-1);
                }
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> tap.statistics().upstreamFailures() == 30);

        tap.close();
        List<NoticeEvent> notices = sink.all(NoticeEvent.class);
        assertThat(notices).extracting(NoticeEvent::text).hasSize(4);
        assertThat(notices.subList(0, 3)).allSatisfy(n -> {
            assertThat(n.text()).matches("cannot connect to upstream tcp://127\\.0\\.0\\.1:" + closedPort
                    + ": connection refused; closed client 127\\.0\\.0\\.1:\\d+");
            assertThat(n.conn()).as("about one connection").matches("c\\d+");
            assertThat(n.source()).isEqualTo(tap.listenAddresses().get(0));
        });
        assertThat(notices.get(3).level()).isEqualTo(NoticeEvent.Level.ERROR);
        assertThat(notices.get(3).text()).matches("cannot connect to upstream tcp://127\\.0\\.0\\.1:" + closedPort
                + ": connection refused; closed the client … and 27 more like this in the last \\d+ s");
        assertThat(tap.statistics().notices()).isEqualTo(30);
        assertThat(sink.all(ConnectionEvent.class)).isEmpty();
    }

    /** Connects with timeouts; false when the tap's reset arrived before the connect returned. */
    private static boolean connectOrReset(Socket s, InetSocketAddress address) throws IOException {
        try {
            s.connect(address, 10_000);
            s.setSoTimeout(10_000);
            return true;
        } catch (SocketException reset) {
            return false;
        }
    }

    /** The next byte, or -1 at end of stream or when the connection was reset. */
    private static int readOrReset(Socket s) throws IOException {
        try {
            return s.getInputStream().read();
        } catch (SocketException reset) {
            return -1;
        }
    }
}
