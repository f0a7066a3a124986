package io.zmqtap.proxy;

import io.zmqtap.zmtp.FrameScanner;
import static io.zmqtap.proxy.Wire.receive;
import static io.zmqtap.proxy.Wire.send;
import static io.zmqtap.proxy.Wire.strings;
import static io.zmqtap.proxy.RawZmtp.ascii;
import static io.zmqtap.proxy.RawZmtp.concat;
import static io.zmqtap.proxy.RawZmtp.frame;
import static io.zmqtap.proxy.RawZmtp.readyAs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.zmqtap.ZmqTapException;
import io.zmqtap.proxy.RawZmtp.RawFrame;
import io.zmqtap.proxy.RawZmtp.RawPeer;
import io.zmqtap.example.DoublingServer;
import io.zmqtap.testing.Closer;
import io.zmqtap.testing.Hex;
import io.zmqtap.zmtp.ZmtpEncoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * What only the wire engine does: it speaks ZMTP itself, so it is tested with hand-written peers
 * on plain sockets where the bytes matter, and with JeroMQ sockets where they do not.
 */
class WireEngineTest {
    private static final String LOOPBACK = "@tcp://127.0.0.1:*";

    private final Wire wire = new Wire();
    private final Closer closer = new Closer();
    private final BlockingQueue<String> notices = new LinkedBlockingQueue<>();

    @AfterEach
    void closeEverything() {
        try {
            closer.close();
        } finally {
            wire.close();
        }
    }

    /** A wire-engine queue on a loopback port whose notices this test reads. */
    private MonitoredQueue.Builder wireQueue() {
        return MonitoredQueue.builder().engine(MonitoredQueue.Engine.WIRE).frontend(LOOPBACK).notices(notices::add);
    }

    private DoublingServer doublingServer() {
        return closer.add(DoublingServer.start(LOOPBACK, new PrintWriter(new StringWriter())));
    }

    private MonitoredQueue start(MonitoredQueue.Builder builder) {
        MonitoredQueue queue = closer.add(builder.start());
        assertThat(queue.engine()).isEqualTo(MonitoredQueue.Engine.WIRE);
        return queue;
    }

    private String nextNotice() throws InterruptedException {
        String notice = notices.poll(Wire.TIMEOUT_MS, TimeUnit.MILLISECONDS);
        assertThat(notice).as("a notice within %d ms", Wire.TIMEOUT_MS).isNotNull();
        return notice;
    }

    // ---- peers that break the protocol ----

    static Stream<Arguments> badPeers() {
        byte[] ready = readyAs("DEALER");
        return Stream.of(
                Arguments.of("garbage", ascii("GET / HTTP/1.1\r\n\r\n"),
                        "not a ZMTP peer: first byte 0x47, expected 0xff"),
                Arguments.of("bad signature", greeting(g -> g[9] = 0x7e),
                        "bad greeting signature at offset 9: expected 0x7f, got 0x7e"),
                // libzmq 3.x: signature, revision 0x01, socket type 0x05 (DEALER), then its identity frame
                Arguments.of("ZMTP/2.0 greeting", Hex.bytes("ff 0000000000000001 7f 01 05 00 00"),
                        "a ZMTP/2.0 peer (libzmq 3 or older): the wire engine speaks ZMTP 3 only; use --engine jeromq"),
                Arguments.of("ZMTP/1.0 behind a signature", Hex.bytes("ff 0000000000000001 7f 00 05 00 00"),
                        "a ZMTP/1.0 peer (libzmq 3 or older): the wire engine speaks ZMTP 3 only; use --engine jeromq"),
                Arguments.of("no such version", greeting(g -> g[10] = 2),
                        "bad greeting version at offset 10: expected 0x00, 0x01 or 0x03 and up, got 0x02"),
                Arguments.of("PLAIN mechanism", greeting(g -> mechanism(g, "PLAIN")),
                        "the peer wants the PLAIN security mechanism; the wire engine speaks NULL only"),
                Arguments.of("CURVE mechanism", greeting(g -> mechanism(g, "CURVE")),
                        "the peer wants the CURVE security mechanism; the wire engine speaks NULL only"),
                Arguments.of("a PUB", concat(ZmtpEncoder.greeting(), readyAs("PUB")),
                        "a PUB cannot talk to the frontend's ROUTER (expected DEALER, REQ, ROUTER)"),
                Arguments.of("no Socket-Type", concat(ZmtpEncoder.greeting(), ZmtpEncoder.ready(Map.of())),
                        "a peer without a Socket-Type cannot talk to the frontend's ROUTER (expected DEALER, REQ, ROUTER)"),
                Arguments.of("a message before READY", concat(ZmtpEncoder.greeting(), Hex.bytes("00 01 61")),
                        "a message before the handshake finished"),
                Arguments.of("ERROR", concat(ZmtpEncoder.greeting(), ZmtpEncoder.error("go away")),
                        "the peer sent ERROR: go away"),
                Arguments.of("bad flags", concat(ZmtpEncoder.greeting(), ready, Hex.bytes("08 00")),
                        "bad frame flags 0x08"),
                Arguments.of("a message over maxMessageSize", concat(ZmtpEncoder.greeting(), ready,
                                Hex.bytes("00 00"), frame(false, new byte[1025])),
                        "a message larger than the 1024-byte limit (1025 bytes)"),
                Arguments.of("a size of 2^63", concat(ZmtpEncoder.greeting(), ready, Hex.bytes("02 8000000000000000")),
                        "a message larger than the 1024-byte limit (size 9223372036854775808)"),
                // 1 + (2^63 - 1) wraps a long: the limit must still hold
                Arguments.of("a size that wraps", concat(ZmtpEncoder.greeting(), ready,
                                Hex.bytes("01 01 61 02 7fffffffffffffff")),
                        "a message larger than the 1024-byte limit (size 9223372036854775807)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPeers")
    void aClientBreakingTheProtocolIsDroppedWithANoticeWhileOthersGoOn(String what, byte[] sent, String reason)
            throws Exception {
        MonitoredQueue queue = start(wireQueue().backend(">" + Wire.address(doublingServer().endpoints()))
                .maxMessageSize(1024));
        ZMQ.Socket before = wire.connect(SocketType.REQ, queue.frontendEndpoints());
        send(before, "1");
        assertThat(strings(receive(before))).containsExactly("2");

        try (RawPeer bad = new RawPeer(port(queue.frontendEndpoints()))) {
            bad.send(sent);
            bad.awaitDisconnected();
            assertThat(nextNotice()).isEqualTo("frontend: dropped the connection from 127.0.0.1:"
                    + bad.localPort() + ": " + reason);
        }

        send(before, "2");
        assertThat(strings(receive(before))).containsExactly("4");
        ZMQ.Socket after = wire.connect(SocketType.REQ, queue.frontendEndpoints());
        send(after, "3");
        assertThat(strings(receive(after))).containsExactly("6");
        assertThat(notices).isEmpty();
        assertThat(queue.isRunning()).isTrue();
    }

    @Test
    void aServerBreakingTheProtocolIsDroppedAndDialledAgain() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
            MonitoredQueue queue = start(wireQueue().backend(">tcp://127.0.0.1:" + port));
            for (int attempt = 0; attempt < 2; attempt++) {
                try (Socket server = accept(listener)) {
                    server.getOutputStream().write(concat(ZmtpEncoder.greeting(), readyAs("REQ")));
                    assertThat(nextNotice()).as("attempt %d", attempt).isEqualTo(
                            "backend: dropped the connection to 127.0.0.1:" + port
                                    + ": a REQ cannot talk to the backend's DEALER (expected DEALER, REP, ROUTER)");
                }
            }
            assertThat(queue.isRunning()).isTrue();
        }
    }

    // ---- the handshake ----

    @Test
    void theQueueGreetsInThreePiecesAndShowsItsMechanismOnlyAfterThePeerShowedItsOwn() throws Exception {
        // As libzmq does: the signature, the major version once the peer's signature came, the rest
        // once the peer's whole greeting came. A JeroMQ client hit by its connect race recovers only
        // through a handshake timer that a whole greeting, read at once, would cancel; a libzmq PLAIN
        // or CURVE client that saw our NULL first would close without ever naming its mechanism.
        MonitoredQueue queue = start(wireQueue().backend(">" + Wire.address(doublingServer().endpoints())));
        byte[] greeting = ZmtpEncoder.greeting();
        int signature = ZmtpEncoder.SIGNATURE_SIZE;
        try (Socket s = new Socket()) {
            s.setSoTimeout(Wire.TIMEOUT_MS);
            s.connect(new InetSocketAddress("127.0.0.1", port(queue.frontendEndpoints())), Wire.TIMEOUT_MS);
            InputStream in = s.getInputStream(); // unbuffered: available() tells what has come
            OutputStream out = s.getOutputStream();
            assertThat(in.readNBytes(signature)).isEqualTo(Hex.bytes("ff 0000000000000000 7f"));
            assertThat(in.available()).as("bytes past the signature before the peer sent its own").isZero();

            out.write(greeting, 0, signature);
            assertThat(in.readNBytes(1)).as("the major version").isEqualTo(Hex.bytes("03"));

            out.write(Arrays.copyOfRange(greeting, signature, greeting.length));
            assertThat(in.readNBytes(ZmtpEncoder.GREETING_SIZE - signature - 1))
                    .isEqualTo(Arrays.copyOfRange(greeting, signature + 1, greeting.length));
            byte[] ready = readyAs("ROUTER");
            assertThat(in.readNBytes(ready.length)).isEqualTo(ready);

            out.write(concat(readyAs("DEALER"), frame(true, new byte[0]), frame(false, ascii("5"))));
            assertThat(in.readNBytes(6)).isEqualTo(Hex.bytes("01 00 00 02 3130")); // "", "10"
        }
        assertThat(notices).isEmpty();
    }

    @Test
    void aPeerThatWaitsForOurWholeGreetingGetsItAfterAWhile() throws Exception {
        MonitoredQueue queue = start(wireQueue().backend(">" + Wire.address(doublingServer().endpoints())));
        byte[] greeting = ZmtpEncoder.greeting();
        try (Socket s = new Socket()) {
            s.setSoTimeout(Wire.TIMEOUT_MS);
            s.connect(new InetSocketAddress("127.0.0.1", port(queue.frontendEndpoints())), Wire.TIMEOUT_MS);
            s.getOutputStream().write(greeting, 0, ZmtpEncoder.SIGNATURE_SIZE + 1);
            assertThat(s.getInputStream().readNBytes(ZmtpEncoder.GREETING_SIZE)).isEqualTo(greeting);
        }
    }

    // ---- commands ----

    @Test
    void aPingIsAnsweredWithAPongCarryingItsContext() throws Exception {
        MonitoredQueue queue = start(wireQueue().backend(">" + Wire.address(doublingServer().endpoints())));
        try (RawPeer peer = new RawPeer(port(queue.frontendEndpoints()))) {
            peer.handshake("DEALER");
            peer.send(Hex.bytes("04 0c 0450494e47 000a 6374782d31")); // COMMAND: PING, ttl 1 s, context "ctx-1"
            RawFrame pong = peer.readFrame();
            assertThat(pong.command()).isTrue();
            assertThat(pong.body()).isEqualTo(Hex.bytes("04504f4e47 6374782d31")); // PONG "ctx-1"

            // and the connection still carries messages: a DEALER sends the empty delimiter itself
            peer.send(concat(frame(true, new byte[0]), frame(false, ascii("21"))));
            assertThat(peer.readMessage()).containsExactly("", "42");
        }
        assertThat(notices).isEmpty();
    }

    // ---- routing ----

    @Test
    void aClientIsRoutedByItsIdentityAndASecondClaimingItIsRefused() throws Exception {
        ZMQ.Socket server = wire.bind(SocketType.ROUTER);
        MonitoredQueue queue = start(wireQueue().backend(">" + server.getLastEndpoint()));
        ZMQ.Socket alice = dealerWithIdentity("alice", queue);
        send(alice, "hello");
        List<String> request = strings(receive(server));
        assertThat(request.subList(1, 3)).containsExactly("alice", "hello");
        String connection = request.get(0);
        send(server, connection, "alice", "hi alice");
        assertThat(strings(receive(alice))).containsExactly("hi alice");

        ZMQ.Socket impostor = dealerWithIdentity("alice", queue);
        assertThat(nextNotice()).matches(
                "frontend: dropped the connection from 127\\.0\\.0\\.1:\\d+: routing id alice is already connected");
        send(alice, "still here");
        assertThat(strings(receive(server))).containsExactly(connection, "alice", "still here");
        send(server, connection, "alice", "still yours");
        assertThat(strings(receive(alice))).containsExactly("still yours");
        assertThat(queue.peerStatistics()).containsOnlyKeys("alice");

        // Once the first leaves, the second gets in (JeroMQ redials it every 100 ms) and is reached by the name.
        alice.close();
        impostor.setReceiveTimeOut(100);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Wire.TIMEOUT_MS);
        byte[] got;
        do {
            assertThat(System.nanoTime()).as("the second alice reached within %d ms", Wire.TIMEOUT_MS)
                    .isLessThan(deadline);
            send(server, connection, "alice", "for the second alice");
            got = impostor.recv();
        } while (got == null);
        assertThat(new String(got, StandardCharsets.ISO_8859_1)).isEqualTo("for the second alice");
    }

    private ZMQ.Socket dealerWithIdentity(String identity, MonitoredQueue queue) {
        ZMQ.Socket s = wire.socket(SocketType.DEALER);
        s.setIdentity(ascii(identity));
        Wire.connect(s, Wire.address(queue.frontendEndpoints()));
        return s;
    }

    @Test
    void requestsGoRoundRobinOverTheServers() throws Exception {
        ZMQ.Socket a = wire.bind(SocketType.ROUTER);
        ZMQ.Socket b = wire.bind(SocketType.ROUTER);
        MonitoredQueue queue = start(wireQueue().backend(">" + a.getLastEndpoint() + ",>" + b.getLastEndpoint()));
        assertThat(queue.backendEndpoints()).containsExactly(">" + a.getLastEndpoint(), ">" + b.getLastEndpoint());
        ZMQ.Socket client = wire.connect(SocketType.DEALER, queue.frontendEndpoints());

        // Round robin covers the servers whose handshake is done: probe until both have been reached.
        ZMQ.Poller poller = wire.context.createPoller(2);
        poller.register(a, ZMQ.Poller.POLLIN);
        poller.register(b, ZMQ.Poller.POLLIN);
        Set<Integer> reached = new HashSet<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Wire.TIMEOUT_MS);
        for (int i = 0; reached.size() < 2; i++) {
            assertThat(System.nanoTime()).as("both servers reached within %d ms", Wire.TIMEOUT_MS).isLessThan(deadline);
            send(client, "", "probe " + i);
            assertThat(poller.poll(Wire.TIMEOUT_MS)).as("probe %d arrives", i).isPositive();
            for (int s = 0; s < 2; s++) {
                if (poller.pollin(s)) {
                    receive(s == 0 ? a : b);
                    reached.add(s);
                }
            }
        }

        for (int k = 0; k < 10; k++) {
            send(client, "", "r" + k);
        }
        List<String> atA = new ArrayList<>();
        List<String> atB = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            atA.add(last(receive(a)));
            atB.add(last(receive(b)));
        }
        List<String> evens = List.of("r0", "r2", "r4", "r6", "r8");
        List<String> odds = List.of("r1", "r3", "r5", "r7", "r9");
        assertThat(List.of(atA, atB)).isIn(List.of(List.of(evens, odds), List.of(odds, evens)));
    }

    @Test
    void whenTheServerIsReplacedOnItsPortTheQueueReconnectsAndForwardsAgain() throws Exception {
        DoublingServer first = DoublingServer.start(LOOPBACK, new PrintWriter(new StringWriter()));
        String address = Wire.address(first.endpoints());
        MonitoredQueue queue;
        ZMQ.Socket client;
        try (first) {
            queue = start(wireQueue().backend(">" + address));
            client = wire.connect(SocketType.REQ, queue.frontendEndpoints());
            send(client, "1");
            assertThat(strings(receive(client))).containsExactly("2");
        }

        // The new server on the same port; a monitor tells when the queue has dialled it, which it
        // does only once it has closed its connection to the old one.
        ZMQ.Socket second = wire.socket(SocketType.REP);
        second.monitor("inproc://wire-test-second", ZMQ.EVENT_ACCEPTED);
        ZMQ.Socket events = wire.socket(SocketType.PAIR);
        events.connect("inproc://wire-test-second");
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> second.bind(address));
        ZMQ.Event accepted = ZMQ.Event.recv(events);
        assertThat(accepted).as("the queue dials the new server").isNotNull();
        assertThat(accepted.getEvent()).isEqualTo(ZMQ.EVENT_ACCEPTED);

        send(client, "3");
        assertThat(second.recvStr()).isEqualTo("3");
        second.send("from the second server");
        assertThat(strings(receive(client))).containsExactly("from the second server");
        await().until(() -> notices.size() == 2);
        assertThat(notices).containsExactly("backend: lost REP server " + address.replace("tcp://", ""),
                "backend: REP server " + address.replace("tcp://", "") + " reconnected");
    }

    // ---- flow ----

    @Test
    void pauseHoldsTrafficBothWaysAndResumeReleasesIt() throws Exception {
        ZMQ.Socket server = wire.bind(SocketType.REP);
        MonitoredQueue queue = start(wireQueue().backend(">" + server.getLastEndpoint()));
        ZMQ.Socket client = wire.connect(SocketType.REQ, queue.frontendEndpoints());
        send(client, "1");
        assertThat(server.recvStr()).isEqualTo("1");
        server.send("2");
        assertThat(strings(receive(client))).containsExactly("2");

        queue.pause();
        assertThat(queue.isPaused()).isTrue();
        send(client, "3");
        assertThat(nothingWithin(server, 300)).as("no request while paused").isTrue();
        assertThat(queue.statistics().frontend().messagesIn()).isEqualTo(1);
        queue.resume();
        assertThat(queue.isPaused()).isFalse();
        assertThat(server.recvStr()).isEqualTo("3");

        queue.pause();
        server.send("6");
        assertThat(nothingWithin(client, 300)).as("no reply while paused").isTrue();
        assertThat(queue.statistics().backend().messagesIn()).isEqualTo(1);
        queue.resume();
        assertThat(strings(receive(client))).containsExactly("6");
    }

    private boolean nothingWithin(ZMQ.Socket socket, int millis) {
        ZMQ.Poller poller = wire.context.createPoller(1);
        try {
            poller.register(socket, ZMQ.Poller.POLLIN);
            return poller.poll(millis) == 0;
        } finally {
            poller.close();
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 255, 256, 300, 65_536, 10 << 20})
    void aMessageOfAnySizeGoesThroughBothWaysByteExact(int size) throws Exception {
        ZMQ.Socket server = wire.bind(SocketType.ROUTER);
        MonitoredQueue queue = start(wireQueue().backend(">" + server.getLastEndpoint()));
        ZMQ.Socket client = wire.connect(SocketType.DEALER, queue.frontendEndpoints());
        Random random = new Random(size);
        byte[] request = new byte[size];
        random.nextBytes(request);
        byte[] reply = new byte[size];
        random.nextBytes(reply);

        client.sendMore(new byte[0]);
        client.send(request);
        List<byte[]> got = receive(server);
        assertThat(got).hasSize(4); // the queue's connection, the client's routing id, "", request
        assertThat(got.get(1)).hasSize(5);
        assertThat(got.get(2)).isEmpty();
        assertThat(Arrays.equals(got.get(3), request)).as("request arrives byte-exact").isTrue();

        server.sendMore(got.get(0));
        server.sendMore(got.get(1));
        server.sendMore(new byte[0]);
        server.send(reply);
        List<byte[]> back = receive(client);
        assertThat(back).hasSize(2);
        assertThat(back.get(0)).isEmpty();
        assertThat(Arrays.equals(back.get(1), reply)).as("reply arrives byte-exact").isTrue();

        await().untilAsserted(() -> assertThat(queue.statistics().frontend())
                .isEqualTo(new SocketStatistics(1, 5L + size, 1, 5L + size)));
    }

    @Test
    void aMessageOfManyFramesKeepsThemAll() throws Exception {
        ZMQ.Socket server = wire.bind(SocketType.ROUTER);
        MonitoredQueue queue = start(wireQueue().backend(">" + server.getLastEndpoint()));
        ZMQ.Socket client = wire.connect(SocketType.DEALER, queue.frontendEndpoints());
        List<String> frames = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            frames.add("f" + i + "x".repeat(i * 7)); // up to 700 bytes: short and long frames mixed
        }
        send(client, frames.toArray(String[]::new));
        List<String> got = strings(receive(server));
        assertThat(got.subList(2, got.size())).isEqualTo(frames);
        List<String> reply = new ArrayList<>(got.subList(0, 2));
        reply.addAll(frames);
        send(server, reply.toArray(String[]::new));
        assertThat(strings(receive(client))).isEqualTo(frames);
    }

    @Test
    void aClientThatStopsReadingHoldsUpEveryClientOnlyUntilItLeaves() throws Exception {
        // A client that never reads fills its connection; the queue then stops reading the server
        // (instead of buffering without bound) and every client (so that the server is not sent
        // requests whose replies it cannot hand over: a libzmq REP would drop them). When that client
        // goes, its replies are counted undeliverable and everyone else's flow again.
        Echo echo = closer.add(new Echo(wire.context));
        MonitoredQueue queue = start(wireQueue().backend(">" + echo.endpoint));
        byte[] chunk = new byte[64 * 1024];
        int n = (int) (repliesThatOverfillAConnection() / chunk.length);

        RawPeer slow = closer.add(new RawPeer(port(queue.frontendEndpoints()), 4096));
        slow.handshake("DEALER");
        Thread writer = new Thread(() -> {
            try {
                byte[] message = concat(frame(true, new byte[0]), frame(false, chunk));
                for (int i = 0; i < n; i++) {
                    slow.send(message);
                }
            } catch (IOException e) {
                // reset when the test closes it: it was held, as it should be
            }
        }, "wire-test-slow-writer");
        writer.setDaemon(true);
        writer.start();
        // held: the queue took some of the slow client's requests and then stopped reading it
        // (whether the writer is still blocked says only whether the kernel's socket buffers, which
        // loopback autotuning may grow past n messages, are full: not a property of the queue)
        long taken = Wire.awaitSteady(() -> queue.statistics().frontend().messagesIn());
        assertThat(taken).as("the slow client is held, not served").isPositive().isLessThan(n);

        ZMQ.Socket other = wire.connect(SocketType.DEALER, queue.frontendEndpoints());
        send(other, "", "ping");
        assertThat(Wire.awaitSteady(() -> queue.statistics().frontend().messagesIn()))
                .as("no client is read while the server's replies wait").isEqualTo(taken);
        slow.close();
        writer.join(Wire.TIMEOUT_MS);

        assertThat(strings(receive(other))).containsExactly("", "ping");
        ProxyStatistics s = await().until(queue::statistics,
                st -> st.backend().messagesIn() == st.frontend().messagesIn());
        assertThat(s.undeliverable()).as("replies to the client that left").isPositive();
        assertThat(s.frontend().messagesOut() + s.undeliverable()).isEqualTo(s.frontend().messagesIn());
    }

    /**
     * Bytes of replies more than a client's connection can hold when it never reads: the queue's
     * own buffer ({@link WireRouter#ROOM}) plus the kernel's largest send buffer, twice over.
     */
    private static long repliesThatOverfillAConnection() throws IOException {
        long sendBufferMax = 4L << 20;
        Path wmem = Path.of("/proc/sys/net/ipv4/tcp_wmem");
        if (Files.isReadable(wmem)) {
            String[] values = Files.readString(wmem).trim().split("\\s+");
            sendBufferMax = Long.parseLong(values[values.length - 1]);
        }
        return Math.max(16L << 20, 2 * (sendBufferMax + WireRouter.ROOM));
    }

    // ---- found in review: pause and heartbeats, a client closing while paused, endless empty frames ----

    @Test
    void aPingFromAnIdleClientIsAnsweredWhileThePausedQueueHoldsTraffic() throws Exception {
        ZMQ.Socket server = wire.bind(SocketType.ROUTER);
        MonitoredQueue queue = start(wireQueue().backend(">" + server.getLastEndpoint()));
        try (RawPeer peer = closer.add(new RawPeer(port(queue.frontendEndpoints())))) {
            peer.handshake("DEALER");
            queue.pause();
            // the pause takes effect on the queue's thread: a message sent after it is held
            peer.send(concat(frame(true, new byte[0]), frame(false, ascii("held"))));
            peer.send(Hex.bytes("04 0c 0450494e47 000a 6374782d31")); // PING, ttl 1 s, context "ctx-1"
            RawFrame pong = peer.readFrame(); // fails on timeout
            assertThat(pong.command()).isTrue();
            assertThat(pong.body()).isEqualTo(Hex.bytes("04504f4e47 6374782d31"));
            queue.resume();
            List<String> got = strings(receive(server));
            assertThat(got.subList(2, got.size())).containsExactly("", "held");
        }
    }

    @Test
    void whatAClientSentBeforeClosingWhileThePausedQueueHeldItIsForwardedOnResume() throws Exception {
        // Guards the fix above: the paused queue now reads, so it sees the close before the messages go.
        ZMQ.Socket server = wire.bind(SocketType.ROUTER);
        MonitoredQueue queue = start(wireQueue().backend(">" + server.getLastEndpoint()));
        try (RawPeer peer = new RawPeer(port(queue.frontendEndpoints()))) {
            peer.handshake("DEALER");
            queue.pause();
            peer.send(Hex.bytes("04 0c 0450494e47 000a 6374782d31"));
            assertThat(peer.readFrame().command()).as("the PONG: the pause is in force").isTrue();
            peer.send(concat(frame(true, new byte[0]), frame(false, ascii("one")),
                    frame(true, new byte[0]), frame(false, ascii("two"))));
        }
        Thread.sleep(200); // let the queue read the close while paused (the test passes without it too)
        queue.resume();
        List<String> first = strings(receive(server));
        List<String> second = strings(receive(server));
        assertThat(first.subList(2, first.size())).containsExactly("", "one");
        assertThat(second.subList(2, second.size())).containsExactly("", "two");
    }

    @Test
    void aMessageOfEndlessEmptyFramesIsRefusedNotBufferedWithoutBound() throws Exception {
        // Empty frames add nothing to a message's size, so the limit never tripped and the input
        // buffer grew with every frame (towards 2 GiB: an OutOfMemoryError ends the whole queue).
        ZMQ.Socket server = wire.bind(SocketType.ROUTER);
        MonitoredQueue queue = start(wireQueue().backend(">" + server.getLastEndpoint()).maxMessageSize(1024));
        try (RawPeer peer = new RawPeer(port(queue.frontendEndpoints()))) {
            peer.handshake("DEALER");
            byte[] emptyFrames = new byte[2 * 100_000];
            for (int i = 0; i < emptyFrames.length; i += 2) {
                emptyFrames[i] = ZmtpEncoder.MORE; // size 0, more to come
            }
            try {
                peer.send(emptyFrames);
            } catch (IOException e) {
                // reset: the queue closed with our bytes unread
            }
            peer.awaitDisconnected();
        }
        assertThat(nextNotice()).contains("a message of ").contains("over the 1024-byte limit");
        assertThat(queue.isRunning()).isTrue();
    }

    @Test
    void theScannerCountsEmptyFramesHeadersAgainstTheLimit() {
        FrameScanner small = new FrameScanner(10);
        ByteBuffer fiveEmpty = ByteBuffer.wrap(Hex.bytes("01 00 01 00 01 00 01 00 00 00"));
        assertThat(catchThrowable(() -> small.scan(fiveEmpty, 0, fiveEmpty.limit()))).isNull(); // 10 bytes of headers
        ByteBuffer sixEmpty = ByteBuffer.wrap(Hex.bytes("01 00 01 00 01 00 01 00 01 00 00 00"));
        assertThat(catchThrowable(() -> small.scan(sixEmpty, 0, sixEmpty.limit())))
                .isInstanceOf(FrameScanner.WireProtocolException.class)
                .hasMessage("a message of 6 frames or more, over the 10-byte limit");
    }

    // ---- helpers ----

    // ---- which engine ----

    @Test
    void theWireEngineRefusesWhatItCannotRunAtStartInOneLine() {
        assertRefused(MonitoredQueue.builder().frontend("@inproc://zmqtap-wire-test").backend(">tcp://127.0.0.1:1"),
                "it speaks tcp:// and ipc:// only, not inproc://zmqtap-wire-test");
        assertRefused(MonitoredQueue.builder().frontend(LOOPBACK).backend(">inproc://server"),
                "it speaks tcp:// and ipc:// only, not inproc://server");
        assertRefused(MonitoredQueue.builder().frontend(LOOPBACK).frontendType(SocketType.PULL)
                        .backend(LOOPBACK).backendType(SocketType.PUSH),
                "it runs ROUTER/DEALER queues only, not PULL/PUSH");
        assertRefused(MonitoredQueue.builder().frontend(LOOPBACK).backend(LOOPBACK).backendType(SocketType.ROUTER),
                "it runs ROUTER/DEALER queues only, not ROUTER/ROUTER");
    }

    @Test
    void aMessageLimitAboveOneGibIsRefusedInOneLine() {
        assertThatThrownBy(() -> MonitoredQueue.builder().maxMessageSize((1L << 30) + 1))
                .isInstanceOf(ZmqTapException.class)
                .hasMessage("max message size must be from 1 to 1073741824 bytes (1 GiB), not 1073741825");
        assertThat(MonitoredQueue.builder().maxMessageSize(MonitoredQueue.MAX_MAX_MESSAGE)).isNotNull();
    }

    private static void assertRefused(MonitoredQueue.Builder builder, String why) {
        assertThatThrownBy(() -> builder.engine(MonitoredQueue.Engine.WIRE).start())
                .isInstanceOf(ZmqTapException.class)
                .hasMessage("the wire engine cannot run this proxy: " + why + " (use the jeromq engine)")
                .extracting(Throwable::getMessage).asString().doesNotContain("\n");
    }

    @Test
    void autoPicksTheWireEngineWhereItCanRunAndJeromqElsewhere() {
        assertThat(engineChosen(MonitoredQueue.builder().frontend(LOOPBACK).backend(">tcp://127.0.0.1:1")))
                .isEqualTo(MonitoredQueue.Engine.WIRE);
        assertThat(engineChosen(MonitoredQueue.builder().frontend(LOOPBACK).backend(">inproc://wire-test-nowhere")))
                .isEqualTo(MonitoredQueue.Engine.JEROMQ);
        assertThat(engineChosen(MonitoredQueue.builder().frontend(LOOPBACK).frontendType(SocketType.PULL)
                .backend(LOOPBACK).backendType(SocketType.PUSH)))
                .isEqualTo(MonitoredQueue.Engine.JEROMQ);
        assertThat(engineChosen(MonitoredQueue.builder().engine(MonitoredQueue.Engine.JEROMQ)
                .frontend(LOOPBACK).backend(">tcp://127.0.0.1:1")))
                .isEqualTo(MonitoredQueue.Engine.JEROMQ);
    }

    private MonitoredQueue.Engine engineChosen(MonitoredQueue.Builder builder) {
        try (MonitoredQueue queue = builder.start()) {
            return queue.engine();
        }
    }

    // ---- closing ----

    @Test
    void closingStopsTheThreadAndFreesThePorts() throws Exception {
        MonitoredQueue queue = closer.add(wireQueue().backend(LOOPBACK).threadName("wire-test-queue").start());
        ZMQ.Socket worker = wire.connect(SocketType.REP, queue.backendEndpoints());
        ZMQ.Socket client = wire.connect(SocketType.REQ, queue.frontendEndpoints());
        send(client, "1");
        assertThat(worker.recvStr()).isEqualTo("1");
        worker.send("2");
        assertThat(strings(receive(client))).containsExactly("2");

        queue.close();
        assertThat(queue.isRunning()).isFalse();
        assertThat(queue.failure()).isNull();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("wire-test-queue"));

        // The same ports again, even with the old connections in TIME_WAIT.
        try (MonitoredQueue again = wireQueue().frontend(queue.frontendEndpoints().get(0))
                .backend(queue.backendEndpoints().get(0)).start()) {
            assertThat(again.frontendEndpoints()).isEqualTo(queue.frontendEndpoints());
            assertThat(again.backendEndpoints()).isEqualTo(queue.backendEndpoints());
        }
    }

    // ---- helpers ----

    private static int port(List<String> endpoints) {
        String e = endpoints.get(0);
        return Integer.parseInt(e.substring(e.lastIndexOf(':') + 1));
    }

    private static Socket accept(ServerSocketChannel listener) throws IOException {
        listener.socket().setSoTimeout(Wire.TIMEOUT_MS);
        Socket s = listener.socket().accept(); // blocking channel: the adaptor honours the timeout
        s.setSoTimeout(Wire.TIMEOUT_MS);
        return s;
    }

    private static String last(List<byte[]> frames) {
        return new String(frames.get(frames.size() - 1), StandardCharsets.ISO_8859_1);
    }

    /** Our own ZMTP 3.0 NULL greeting, changed by {@code edit}. */
    private static byte[] greeting(java.util.function.Consumer<byte[]> edit) {
        byte[] g = ZmtpEncoder.greeting();
        edit.accept(g);
        return g;
    }

    private static void mechanism(byte[] greeting, String name) {
        Arrays.fill(greeting, 12, 32, (byte) 0);
        System.arraycopy(ascii(name), 0, greeting, 12, name.length());
    }

    /** A ROUTER that sends every message straight back, frame for frame, on a thread of its own. */
    private static final class Echo implements AutoCloseable {
        final String endpoint;
        private final ZMQ.Socket socket;
        private final Thread thread;
        private volatile boolean running = true;

        Echo(ZContext context) {
            socket = context.createSocket(SocketType.ROUTER);
            socket.setHWM(0); // a ROUTER drops what does not fit; unlimited, so it never drops
            socket.setReceiveTimeOut(100); // to notice close()
            socket.setLinger(0);
            socket.bind("tcp://127.0.0.1:*");
            endpoint = socket.getLastEndpoint();
            thread = new Thread(this::run, "wire-test-echo");
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            while (running) {
                byte[] frame = socket.recv();
                if (frame == null) {
                    continue;
                }
                boolean more = socket.hasReceiveMore();
                socket.send(frame, more ? ZMQ.SNDMORE : 0);
                while (more) {
                    frame = socket.recv();
                    more = socket.hasReceiveMore();
                    socket.send(frame, more ? ZMQ.SNDMORE : 0);
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(Wire.TIMEOUT_MS);
            socket.close();
        }
    }
}
