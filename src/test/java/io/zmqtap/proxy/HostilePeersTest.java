package io.zmqtap.proxy;

import static io.zmqtap.proxy.RawZmtp.ascii;
import static io.zmqtap.proxy.RawZmtp.concat;
import static io.zmqtap.proxy.RawZmtp.frame;
import static io.zmqtap.proxy.RawZmtp.readyAs;
import static io.zmqtap.proxy.Wire.receive;
import static io.zmqtap.proxy.Wire.send;
import static io.zmqtap.proxy.Wire.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zmqtap.event.EventJson;
import io.zmqtap.event.StatisticsEvent;
import io.zmqtap.example.DoublingServer;
import io.zmqtap.proxy.RawZmtp.RawPeer;
import io.zmqtap.testing.Closer;
import io.zmqtap.zmtp.ZmtpEncoder;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * The wire engine's limits against hostile peers, each one a peer written by hand: huge announced
 * sizes, memory hogs, too many connections, connections that never finish their handshake, and
 * servers that never answer. Well-behaved clients must be served throughout.
 */
class HostilePeersTest {
    private static final String LOOPBACK = "@tcp://127.0.0.1:*";
    /** 256 MiB less one byte: just under the default message limit. */
    private static final long ANNOUNCED = 268_435_455L;

    private final Wire wire = new Wire();
    private final Closer closer = new Closer();
    private final BlockingQueue<String> notices = new LinkedBlockingQueue<>();

    @AfterEach
    void closeAll() {
        closer.close();
        wire.close();
    }

    private MonitoredQueue.Builder queue() {
        DoublingServer server = closer.add(DoublingServer.start(LOOPBACK, new PrintWriter(new StringWriter())));
        return MonitoredQueue.builder().engine(MonitoredQueue.Engine.WIRE).frontend(LOOPBACK)
                .backend(">" + Wire.address(server.endpoints())).notices(notices::add);
    }

    private MonitoredQueue start(MonitoredQueue.Builder b) {
        return closer.add(b.start());
    }

    private ZMQ.Socket servedClient(MonitoredQueue queue) {
        ZMQ.Socket client = wire.connect(SocketType.REQ, queue.frontendEndpoints());
        assertServed(client, 21);
        return client;
    }

    private static void assertServed(ZMQ.Socket client, int n) {
        send(client, Integer.toString(n));
        assertThat(strings(receive(client))).containsExactly(Integer.toString(2 * n));
    }

    private RawPeer attacker(MonitoredQueue queue) throws IOException {
        RawPeer p = closer.add(new RawPeer(port(queue.frontendEndpoints())));
        p.handshake("DEALER");
        return p;
    }

    /** A frame header announcing {@code size} bytes, more to come or not. */
    private static byte[] header(long size) {
        ByteBuffer b = ByteBuffer.allocate(9);
        ZmtpEncoder.frameHeader(b, size, false);
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    @Test
    void aHugeAnnouncedSizeCostsOnlyTheBytesThatCame() throws Exception {
        MonitoredQueue queue = start(queue());
        ZMQ.Socket client = servedClient(queue);
        long before = queue.statistics().memory().used();
        List<RawPeer> attackers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            RawPeer a = attacker(queue);
            a.send(concat(header(ANNOUNCED), new byte[1000]));
            attackers.add(a);
        }
        assertServed(client, 7);
        long used = Wire.awaitSteady(() -> queue.statistics().memory().used()); // the attackers' bytes have been read
        assertThat(used - before).as("memory for 16 connections that announced 256 MiB each and sent 1 KB")
                .isLessThan(16 * 4L * WirePeer.INITIAL_BUFFER);
        assertThat(notices).isEmpty();
        assertThat(attackers).hasSize(16);
    }

    @Test
    void pastTheMemoryBudgetTheConnectionsHoldingTheMostAreDroppedWithANotice() throws Exception {
        long budget = 4L << 20;
        MonitoredQueue queue = start(queue().maxMemory(budget));
        ZMQ.Socket client = servedClient(queue);
        int chunk = 1_400_000; // of a 1.9 MB message each: three of them pass the 4 MiB budget
        for (int i = 0; i < 4; i++) {
            RawPeer hog = attacker(queue);
            try {
                hog.send(concat(header(1_900_000), new byte[chunk]));
            } catch (IOException e) {
                // dropped while we were still sending: that is the point
            }
        }
        String notice = notices.poll(Wire.TIMEOUT_MS, TimeUnit.MILLISECONDS);
        assertThat(notice).matches("frontend: dropped the connection from 127\\.0\\.0\\.1:\\d+: it held [0-9.]+ MiB "
                + "when all connections' buffers passed the 4\\.0 MiB memory budget \\(--max-memory\\)");
        assertServed(client, 9);
        assertThat(Wire.awaitSteady(() -> queue.statistics().memory().used())).isLessThanOrEqualTo(budget);
        assertThat(queue.statistics().memory().peak()).isLessThan(budget + 2 * chunk);
    }

    @Test
    void aMessageThatCouldNotFitTheBudgetIsRefusedWhenAnnounced() throws Exception {
        MonitoredQueue queue = start(queue().maxMemory(4L << 20));
        ZMQ.Socket client = servedClient(queue);
        RawPeer big = attacker(queue);
        big.send(header(3L << 20)); // read once, written once: 6 MiB of a 4 MiB budget
        big.awaitDisconnected();
        assertThat(notices.poll(Wire.TIMEOUT_MS, TimeUnit.MILLISECONDS))
                .endsWith("a message larger than the 2097152-byte limit (3145728 bytes)");
        assertServed(client, 4);
    }

    @Test
    void connectionsOverTheLimitAreClosedWithANoticeAndRepeatsAreSummedUp() throws Exception {
        MonitoredQueue queue = start(queue().maxConnections(3));
        ZMQ.Socket client = servedClient(queue);
        attacker(queue);
        attacker(queue); // three connections: the limit
        for (int i = 0; i < 20; i++) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port(queue.frontendEndpoints()))) {
                s.setSoTimeout(Wire.TIMEOUT_MS);
                assertThat(s.getInputStream().read()).as("closed at once, before any greeting").isEqualTo(-1);
            }
        }
        assertServed(client, 5);
        queue.close(); // sends the summary of the repeats at once
        List<String> lines = new ArrayList<>(notices);
        assertThat(lines).hasSize(4);
        assertThat(lines.subList(0, 3)).allMatch(l -> l.matches(
                "frontend: refused the connection from 127\\.0\\.0\\.1:\\d+: 3 connections already \\(--max-connections\\)"));
        assertThat(lines.get(3)).matches("frontend: refused connections over the limit of 3 \\(--max-connections\\)"
                + " … and 17 more like this in the last \\d+ s");
        assertThat(queue.statistics().notices()).isEqualTo(20);
    }

    @Test
    void aConnectionThatNeverFinishesItsHandshakeIsDropped() throws Exception {
        MonitoredQueue queue = start(queue().handshakeTimeout(Duration.ofMillis(200)));
        ZMQ.Socket client = servedClient(queue);
        try (RawPeer silent = new RawPeer(port(queue.frontendEndpoints()))) {
            silent.send(ZmtpEncoder.greeting()); // a greeting, then nothing: no READY
            silent.awaitDisconnected();
            // (a JeroMQ client whose connection its connect race stalled may be dropped the same way)
            String expected = "frontend: dropped the connection from 127.0.0.1:" + silent.localPort()
                    + ": no handshake within 200 ms";
            await().until(() -> notices.contains(expected));
            assertThat(notices).allMatch(n -> n.endsWith(": no handshake within 200 ms"));
        }
        assertServed(client, 6);
    }

    @Test
    void requestsARepServerNeverAnsweredAreCountedAndSaidWhenItGoes() throws Exception {
        try (RawServer server = new RawServer("REP")) {
            MonitoredQueue queue = start(MonitoredQueue.builder().frontend(LOOPBACK).backend(">" + server.address())
                    .notices(notices::add));
            server.accept();
            List<ZMQ.Socket> clients = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ZMQ.Socket c = wire.connect(SocketType.REQ, queue.frontendEndpoints());
                send(c, "q" + i);
                clients.add(c);
            }
            for (int i = 0; i < 3; i++) {
                assertThat(server.readMessage()).hasSize(3); // [routing id, "", "q…"]
            }
            assertThat(queue.statistics().servers()).singleElement().satisfies(s -> {
                assertThat(s.requests()).isEqualTo(3);
                assertThat(s.inFlight()).isEqualTo(3);
            });
            server.close(); // it restarts, say: what it held is lost
            assertThat(notices.poll(Wire.TIMEOUT_MS, TimeUnit.MILLISECONDS))
                    .isEqualTo("backend: lost REP server " + server.address().substring("tcp://".length())
                            + ": 3 requests sent to it got no reply");
            ProxyStatistics s = queue.statistics();
            assertThat(s.unanswered()).isEqualTo(3);
            assertThat(s.servers()).singleElement().satisfies(v -> {
                assertThat(v.unanswered()).isEqualTo(3);
                assertThat(v.inFlight()).isZero();
            });
            assertThat(s.summary()).endsWith(", unanswered (server gone) 3");
            StatisticsEvent.Peer peer = s.toEvent(queue.source(), Duration.ofSeconds(1), false).peers().get(0);
            assertThat(peer.role()).isEqualTo("server");
            assertThat(peer.counters()).containsEntry("unanswered", 3L).containsEntry("in_flight", 0L);
            assertThat(EventJson.toJson(s.toEvent(queue.source(), Duration.ofSeconds(1), false))
                    .at("/peers/0/unanswered").asLong()).isEqualTo(3);
        }
    }

    @Test
    void aRepServerIsSentAtMostMaxInFlightRequestsAndTheRestWait() throws Exception {
        try (RawServer server = new RawServer("REP")) {
            MonitoredQueue queue = start(MonitoredQueue.builder().frontend(LOOPBACK).backend(">" + server.address())
                    .maxInFlight(2).notices(notices::add));
            server.accept();
            ZMQ.Socket client = wire.connect(SocketType.DEALER, queue.frontendEndpoints());
            for (int i = 0; i < 5; i++) {
                send(client, "", "r" + i);
            }
            List<List<String>> got = new ArrayList<>();
            got.add(server.readMessage());
            got.add(server.readMessage());
            assertThat(Wire.awaitSteady(() -> queue.statistics().backend().messagesOut()))
                    .as("requests sent while two are unanswered").isEqualTo(2);
            server.reply(got.get(0)); // one answered: one more may go
            got.add(server.readMessage());
            assertThat(Wire.awaitSteady(() -> queue.statistics().backend().messagesOut())).isEqualTo(3);
            assertThat(got).extracting(m -> m.get(2)).containsExactly("r0", "r1", "r2");
            assertThat(strings(receive(client))).containsExactly("", "r0");
        }
    }

    @Test
    void aDealerServerIsNeverHeldBack() throws Exception {
        try (RawServer server = new RawServer("DEALER")) {
            MonitoredQueue queue = start(MonitoredQueue.builder().frontend(LOOPBACK).backend(">" + server.address())
                    .maxInFlight(2));
            server.accept();
            ZMQ.Socket client = wire.connect(SocketType.DEALER, queue.frontendEndpoints());
            for (int i = 0; i < 5; i++) {
                send(client, "", "r" + i);
            }
            for (int i = 0; i < 5; i++) {
                assertThat(server.readMessage().get(2)).isEqualTo("r" + i);
            }
        }
    }

    @Test
    void aSubscriberThatSubscribesWithoutEndIsDropped() throws Exception {
        MonitoredQueue queue = start(queue().capture(LOOPBACK));
        ZMQ.Socket client = servedClient(queue);
        try (RawPeer greedy = new RawPeer(port(queue.captureEndpoints()))) {
            java.io.ByteArrayOutputStream subscriptions = new java.io.ByteArrayOutputStream();
            for (int i = 0; i <= CapturePublisher.MAX_SUBSCRIPTIONS; i++) {
                subscriptions.writeBytes(frame(false, ascii("\u0001topic" + i)));
            }
            greedy.send(concat(ZmtpEncoder.greeting(), readyAs("SUB")));
            try {
                greedy.send(subscriptions.toByteArray());
            } catch (IOException e) {
                // dropped while we were still sending: that is the point
            }
            greedy.awaitDisconnected();
            assertThat(notices.poll(Wire.TIMEOUT_MS, TimeUnit.MILLISECONDS)).isEqualTo("capture: dropped the connection from "
                    + "127.0.0.1:" + greedy.localPort() + ": more than 10000 subscriptions");
        }
        assertServed(client, 3);
    }

    @Test
    void repeatedProtocolErrorsAreSummedUpAndAllCounted() throws Exception {
        MonitoredQueue queue = start(queue());
        ZMQ.Socket client = servedClient(queue);
        for (int i = 0; i < 10; i++) {
            try (RawPeer bad = new RawPeer(port(queue.frontendEndpoints()))) {
                bad.send(ascii("GET / HTTP/1.1\r\n\r\n"));
                bad.awaitDisconnected();
            }
        }
        assertServed(client, 8);
        await().until(() -> queue.statistics().notices() == 10);
        queue.close();
        List<String> lines = new ArrayList<>(notices);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(3)).matches("frontend: dropped connections \\(not a ZMTP peer: first byte 0x47, expected "
                + "0xff\\) … and 7 more like this in the last \\d+ s");
    }

    static int port(List<String> endpoints) {
        String e = endpoints.get(0);
        return Integer.parseInt(e.substring(e.lastIndexOf(':') + 1));
    }

    /** A server written by hand: accepts the queue's connection, greets as {@code socketType}, reads and answers. */
    private static final class RawServer implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        private final String socketType;
        private Socket socket;
        private DataInputStream in;

        RawServer(String socketType) throws IOException {
            this.socketType = socketType;
            listener.setSoTimeout(Wire.TIMEOUT_MS);
        }

        String address() {
            return "tcp://127.0.0.1:" + listener.getLocalPort();
        }

        void accept() throws IOException {
            socket = listener.accept();
            socket.setSoTimeout(Wire.TIMEOUT_MS);
            in = new DataInputStream(socket.getInputStream());
            socket.getOutputStream().write(concat(ZmtpEncoder.greeting(), readyAs(socketType)));
            assertThat(in.readNBytes(ZmtpEncoder.GREETING_SIZE)).hasSize(ZmtpEncoder.GREETING_SIZE);
        }

        /** The next message's frames as text; commands (the queue's READY) skipped. */
        List<String> readMessage() throws IOException {
            List<String> frames = new ArrayList<>();
            boolean more;
            do {
                int flags = in.readUnsignedByte();
                long size = (flags & ZmtpEncoder.LONG) != 0 ? in.readLong() : in.readUnsignedByte();
                byte[] body = in.readNBytes((int) size);
                more = (flags & ZmtpEncoder.MORE) != 0;
                if ((flags & ZmtpEncoder.COMMAND) == 0) {
                    frames.add(new String(body, java.nio.charset.StandardCharsets.ISO_8859_1));
                } else {
                    more = true; // a command is no part of a message: read on
                }
            } while (more);
            return frames;
        }

        /** Answers a request with its own frames (routing id and delimiter first, so it goes back to its client). */
        void reply(List<String> request) throws IOException {
            List<byte[]> frames = new ArrayList<>();
            for (int i = 0; i < request.size(); i++) {
                frames.add(frame(i < request.size() - 1, ascii(request.get(i))));
            }
            socket.getOutputStream().write(concat(frames.toArray(byte[][]::new)));
        }

        @Override
        public void close() throws IOException {
            if (socket != null) {
                socket.close();
            }
            listener.close();
        }
    }
}
