package io.zmqtap.tap;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.event.CommandEvent;
import io.zmqtap.event.ConnectionEvent;
import io.zmqtap.event.Direction;
import io.zmqtap.event.Frame;
import io.zmqtap.event.HandshakeEvent;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.event.ProtocolErrorEvent;
import io.zmqtap.sink.JsonSink;
import io.zmqtap.testing.ChildProcess;
import io.zmqtap.testing.Closer;
import java.io.OutputStream;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/** Real ZeroMQ peers (libzmq 4.3 via pyzmq, and JeroMQ) talking through the tap. */
class TapInteropTest {
    private static final java.time.Duration LINE_TIMEOUT = java.time.Duration.ofSeconds(20);
    /** Every script calls pair(): binds its server on an ephemeral port, prints it, reads the tap's endpoint, connects. */
    static final String PREAMBLE = """
            import sys, zmq, hashlib, os
            ctx = zmq.Context()
            def sock(kind):
                s = ctx.socket(kind)
                s.linger = 0
                s.rcvtimeo = 10000
                s.sndtimeo = 10000
                return s
            def pair(server_kind, client_kind, identity=b"", server_opts={}, client_opts={}):
                server = sock(server_kind)
                for k, v in server_opts.items():
                    server.setsockopt(k, v)
                print(server.bind_to_random_port("tcp://127.0.0.1"))
                client = sock(client_kind)
                if identity:
                    client.setsockopt(zmq.IDENTITY, identity)
                for k, v in client_opts.items():
                    client.setsockopt(k, v)
                client.connect(sys.stdin.readline().strip())
                return server, client
            """;

    private final RecordingSink sink = new RecordingSink();
    private final Closer closer = new Closer();

    @AfterEach
    void tearDown() {
        closer.close();
    }

    private <T extends AutoCloseable> T closing(T c) {
        return closer.add(c);
    }

    private WireTap tapTo(String upstreamPort) {
        return closing(WireTap.builder()
                .route("tcp://127.0.0.1:0", "tcp://127.0.0.1:" + upstreamPort)
                .sink(sink)
                .start());
    }

    /** Starts {@code script}, routes a tap to the port it prints, and tells it the tap's endpoint. */
    private ChildProcess python(String script, String... args) throws Exception {
        ChildProcess peer = closing(ChildProcess.python("tap peer", PREAMBLE + script, List.of(args)));
        WireTap tap = tapTo(peer.nextLine(LINE_TIMEOUT));
        peer.send(tap.listenAddresses().get(0));
        return peer;
    }

    private static final String REQ_REP = """
            rep, req = pair(zmq.REP, zmq.REQ, sys.argv[1].encode())
            for i in range(5):
                req.send_string(str(i))
                rep.send_string(str(int(rep.recv()) * 2))
                print(i, "result: ", req.recv_string())
            req.close()
            print("done")
            """;

    private static String text(List<Frame> frames) {
        return String.join(",", frames.stream().map(Frame::text).toList());
    }

    private ConnectionEvent awaitClosed() {
        return sink.await(ConnectionEvent.class, e -> e.kind() == ConnectionEvent.Kind.CLOSED);
    }

    @Test
    void reqRepWithoutIdentityIsDecodedBothWays() throws Exception {
        ChildProcess peer = python(REQ_REP, "");
        for (int i = 0; i < 5; i++) {
            assertThat(peer.nextLine(LINE_TIMEOUT)).isEqualTo(i + " result:  " + 2 * i);
        }
        assertThat(peer.nextLine(LINE_TIMEOUT)).isEqualTo("done");
        ConnectionEvent closed = awaitClosed();

        ConnectionEvent opened = sink.all(ConnectionEvent.class).get(0);
        assertThat(opened.kind()).isEqualTo(ConnectionEvent.Kind.OPENED);
        assertThat(List.of(opened.clientSocketType(), opened.serverSocketType(), opened.version(), opened.mechanism()))
                .containsExactly("REQ", "REP", "3.1", "NULL");
        List<MessageEvent> messages = sink.all(MessageEvent.class);
        assertThat(messages).extracting(m -> m.direction() + " " + text(m.body()))
                .containsExactly("IN 0", "OUT 0", "IN 1", "OUT 2", "IN 2", "OUT 4", "IN 3", "OUT 6", "IN 4", "OUT 8");
        assertThat(messages).allSatisfy(m -> {
            assertThat(m.conn()).isEqualTo("c1");
            assertThat(m.identity()).isNull();
            assertThat(m.envelope()).isEmpty(); // REQ's empty delimiter is not part of the envelope
        });
        assertThat(closed.messagesIn()).isEqualTo(5);
        assertThat(closed.messagesOut()).isEqualTo(5);
        assertThat(sink.all(ProtocolErrorEvent.class)).isEmpty();
        assertThat(sink.events()).extracting(e -> e.time()).isSorted(); // causal order, times never run backwards
    }

    @Test
    void aClientIdentityAppearsInTheHandshakeAndEveryMessage() throws Exception {
        ChildProcess peer = python(REQ_REP, "client_id_abc");
        for (int i = 0; i < 5; i++) {
            peer.nextLine(LINE_TIMEOUT);
        }
        assertThat(peer.nextLine(LINE_TIMEOUT)).isEqualTo("done");
        awaitClosed();

        HandshakeEvent client = sink.all(HandshakeEvent.class, h -> h.direction() == Direction.IN).get(0);
        assertThat(client.socketType()).isEqualTo("REQ");
        assertThat(client.identity()).isEqualTo(Frame.of("client_id_abc"));
        HandshakeEvent server = sink.all(HandshakeEvent.class, h -> h.direction() == Direction.OUT).get(0);
        assertThat(server.socketType()).isEqualTo("REP");
        assertThat(server.identity()).isNull();
        assertThat(sink.all(MessageEvent.class)).hasSize(10)
                .allSatisfy(m -> assertThat(m.identity()).isEqualTo(Frame.of("client_id_abc")));
    }

    @Test
    void dealerRouterMultipartArrivesIntactAndIsDecodedExactly() throws Exception {
        ChildProcess peer = python("""
                router, dealer = pair(zmq.ROUTER, zmq.DEALER, b"dealer-1")
                sent, got_router, sent_router, got_dealer = [hashlib.sha256() for _ in range(4)]
                def update(h, frames):
                    for f in frames:
                        h.update(len(f).to_bytes(8, "big") + f)
                dealer.send_multipart([b"hop", b"", b"part1", b"part2"])
                msg = router.recv_multipart()
                print(msg[0].decode(), msg[1:] == [b"hop", b"", b"part1", b"part2"])
                router.send_multipart([msg[0], b"hop", b"", b"reply"])
                print(dealer.recv_multipart() == [b"hop", b"", b"reply"])
                rnd = __import__("random").Random(7)
                for i in range(300):
                    frames = [os.urandom(rnd.choice([1, 16, 255, 256, 3000, 70000])) for _ in range(rnd.randint(1, 4))]
                    update(sent, frames)
                    dealer.send_multipart(frames)
                    m = router.recv_multipart()
                    update(got_router, m[1:])
                    reply = [os.urandom(rnd.choice([1, 5, 300])) for _ in range(rnd.randint(1, 3))]
                    update(sent_router, reply)
                    router.send_multipart([m[0]] + reply)
                    update(got_dealer, dealer.recv_multipart())
                print(sent.hexdigest(), got_router.hexdigest(), sent_router.hexdigest(), got_dealer.hexdigest())
                dealer.close()
                """);
        assertThat(peer.nextLine(LINE_TIMEOUT)).isEqualTo("dealer-1 True");
        assertThat(peer.nextLine(LINE_TIMEOUT)).isEqualTo("True");
        String[] digests = peer.nextLine(LINE_TIMEOUT).split(" ");
        ConnectionEvent closed = awaitClosed();

        assertThat(digests[1]).as("router received what the dealer sent").isEqualTo(digests[0]);
        assertThat(digests[3]).as("dealer received what the router sent").isEqualTo(digests[2]);
        List<MessageEvent> in = sink.all(MessageEvent.class, m -> m.direction() == Direction.IN);
        List<MessageEvent> out = sink.all(MessageEvent.class, m -> m.direction() == Direction.OUT);
        assertThat(in).hasSize(301);
        assertThat(out).hasSize(301);
        MessageEvent first = in.get(0);
        assertThat(first.identity()).isEqualTo(Frame.of("dealer-1"));
        assertThat(first.envelope()).containsExactly(Frame.of("hop"));
        assertThat(first.body()).containsExactly(Frame.of("part1"), Frame.of("part2"));
        assertThat(out.get(0).envelope()).containsExactly(Frame.of("hop"));
        assertThat(out.get(0).body()).containsExactly(Frame.of("reply"));
        assertThat(digest(in.subList(1, in.size()))).as("decoded IN frames").isEqualTo(digests[0]);
        assertThat(digest(out.subList(1, out.size()))).as("decoded OUT frames").isEqualTo(digests[2]);
        assertThat(List.of(closed.clientSocketType(), closed.serverSocketType())).containsExactly("DEALER", "ROUTER");
    }

    /** SHA-256 over (8-byte length, bytes) of every body frame, as the Python side computes it. */
    private static String digest(List<MessageEvent> messages) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (MessageEvent m : messages) {
            assertThat(m.envelope()).isEmpty(); // no empty frames were sent, so no delimiter either
            for (Frame f : m.body()) {
                sha.update(java.nio.ByteBuffer.allocate(8).putLong(f.size()).array());
                sha.update(f.data());
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    @Test
    void libzmqSubscriptionsAreSubscribeCommands() throws Exception {
        ChildProcess peer = python("""
                pub, sub = pair(zmq.PUB, zmq.SUB)
                sub.subscribe(b"weather")
                while not sub.poll(50):
                    pub.send(b"weather sunny")
                print(sub.recv().decode())
                sub.close()
                """);
        assertThat(peer.nextLine(LINE_TIMEOUT)).isEqualTo("weather sunny");
        awaitClosed();

        CommandEvent subscribe = sink.all(CommandEvent.class).get(0);
        assertThat(subscribe.name()).isEqualTo("SUBSCRIBE");
        assertThat(subscribe.direction()).isEqualTo(Direction.IN);
        assertThat(subscribe.topic()).isEqualTo(Frame.of("weather"));
        assertThat(subscribe.detail()).isEmpty();
        assertThat(sink.all(MessageEvent.class)).isNotEmpty()
                .allSatisfy(m -> assertThat(m.body()).containsExactly(Frame.of("weather sunny")))
                .allSatisfy(m -> assertThat(m.direction()).isEqualTo(Direction.OUT));
        ConnectionEvent opened = sink.all(ConnectionEvent.class).get(0);
        assertThat(List.of(opened.clientSocketType(), opened.serverSocketType(), opened.version()))
                .containsExactly("SUB", "PUB", "3.1");
    }

    @Test
    void jeromqSubscriptionsAreZmtp30DataFrames() throws Exception {
        try (ZContext ctx = new ZContext()) {
            ZMQ.Socket pub = ctx.createSocket(SocketType.PUB);
            int port = pub.bindToRandomPort("tcp://127.0.0.1");
            WireTap tap = tapTo(String.valueOf(port));
            ZMQ.Socket sub = ctx.createSocket(SocketType.SUB);
            sub.setReceiveTimeOut(50);
            sub.connect(tap.listenAddresses().get(0));
            sub.subscribe("weather".getBytes());
            String got = null;
            for (int i = 0; i < 200 && got == null; i++) { // a PUB drops until the subscription arrives
                pub.send("weather rain");
                got = sub.recvStr();
            }
            assertThat(got).isEqualTo("weather rain");
            sub.close();

            awaitClosed();
            CommandEvent subscribe = sink.all(CommandEvent.class).get(0);
            assertThat(subscribe.name()).isEqualTo("SUBSCRIBE");
            assertThat(subscribe.topic()).isEqualTo(Frame.of("weather"));
            assertThat(subscribe.detail()).isEqualTo("(ZMTP 3.0 data frame)");
            assertThat(sink.all(MessageEvent.class, m -> m.direction() == Direction.IN)).isEmpty();
            ConnectionEvent opened = sink.all(ConnectionEvent.class).get(0);
            assertThat(List.of(opened.clientSocketType(), opened.serverSocketType(), opened.version()))
                    .containsExactly("SUB", "PUB", "3.0");
        }
    }

    @Test
    void plainCredentialsAreShownWithThePasswordMasked() throws Exception {
        ChildProcess peer = python("""
                from zmq.auth.thread import ThreadAuthenticator
                auth = ThreadAuthenticator(ctx)
                auth.start()
                auth.configure_plain(domain="*", passwords={"admin": "s3cret-pw"})
                rep, req = pair(zmq.REP, zmq.REQ, server_opts={zmq.PLAIN_SERVER: 1},
                                client_opts={zmq.PLAIN_USERNAME: b"admin", zmq.PLAIN_PASSWORD: b"s3cret-pw"})
                req.send(b"hello")
                rep.send(rep.recv() + b" back")
                print(req.recv().decode())
                req.close()
                rep.close()
                auth.stop()
                """);
        assertThat(peer.nextLine(LINE_TIMEOUT)).isEqualTo("hello back");
        awaitClosed();

        CommandEvent hello = sink.all(CommandEvent.class, c -> c.name().equals("HELLO")).get(0);
        assertThat(hello.direction()).isEqualTo(Direction.IN);
        assertThat(hello.detail()).isEqualTo("username \"admin\"  password ****");
        assertThat(sink.all(HandshakeEvent.class)).extracting(h -> h.direction() + " " + h.mechanism() + " " + h.socketType())
                .containsExactlyInAnyOrder("IN PLAIN REQ", "OUT PLAIN REP");
        assertThat(sink.all(MessageEvent.class)).extracting(m -> text(m.body())).containsExactly("hello", "hello back");
        ConnectionEvent opened = sink.all(ConnectionEvent.class).get(0);
        assertThat(List.of(opened.clientSocketType(), opened.serverSocketType(), opened.mechanism()))
                .containsExactly("REQ", "REP", "PLAIN");
        assertThat(sink.events()).allSatisfy(e ->
                assertThat(JsonSink.toJson(e).toString() + e).doesNotContain("s3cret-pw"));
    }

    @Test
    void curveTrafficIsNamedAsEncrypted() throws Exception {
        ChildProcess peer = python("""
                server_public, server_secret = zmq.curve_keypair()
                client_public, client_secret = zmq.curve_keypair()
                rep, req = pair(zmq.REP, zmq.REQ,
                                server_opts={zmq.CURVE_SERVER: 1, zmq.CURVE_SECRETKEY: server_secret},
                                client_opts={zmq.CURVE_SERVERKEY: server_public, zmq.CURVE_PUBLICKEY: client_public,
                                             zmq.CURVE_SECRETKEY: client_secret})
                req.send(b"secret payload")
                rep.send(rep.recv() + b" back")
                print(req.recv().decode())
                req.close()
                """);
        assertThat(peer.nextLine(LINE_TIMEOUT)).isEqualTo("secret payload back");
        awaitClosed();

        ConnectionEvent opened = sink.all(ConnectionEvent.class).get(0);
        assertThat(opened.mechanism()).isEqualTo("CURVE");
        assertThat(sink.all(HandshakeEvent.class)).extracting(h -> h.direction() + " " + h.mechanism() + " " + h.socketType())
                .containsExactlyInAnyOrder("IN CURVE null", "OUT CURVE null");
        assertThat(sink.all(MessageEvent.class)).isEmpty();
        assertThat(sink.all(CommandEvent.class, c -> c.name().equals("MESSAGE"))).hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(c -> assertThat(c.detail()).startsWith("CURVE, encrypted, "));
        assertThat(sink.events()).allSatisfy(e -> assertThat(e.toString()).doesNotContain("secret payload"));
    }

    @Test
    void aTenMebibyteMessageIsTruncatedInTheEventButIntactForThePeer() throws Exception {
        ChildProcess peer = python("""
                rep, req = pair(zmq.REP, zmq.REQ)
                big = os.urandom(10 * 1024 * 1024)
                req.send(big)
                got = rep.recv()
                rep.send(got)
                print(got == big, req.recv() == big, hashlib.sha256(big[:1024 * 1024]).hexdigest())
                req.close()
                """);
        String[] result = peer.nextLine(LINE_TIMEOUT).split(" ");
        assertThat(result[0]).as("server got it intact").isEqualTo("True");
        assertThat(result[1]).as("client got the echo intact").isEqualTo("True");
        awaitClosed();

        List<MessageEvent> messages = sink.all(MessageEvent.class);
        assertThat(messages).hasSize(2);
        for (MessageEvent m : messages) {
            Frame big = m.body().get(0);
            assertThat(big.size()).isEqualTo(10 * 1024 * 1024);
            assertThat(big.data()).hasSize(1 << 20);
            assertThat(big.truncated()).isTrue();
            assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(big.data())))
                    .isEqualTo(result[2]);
        }
    }

    @Test
    void garbageOnOneConnectionLeavesAConcurrentCleanConnectionDecoding() throws Exception {
        try (ZContext ctx = new ZContext()) {
            ZMQ.Socket rep = ctx.createSocket(SocketType.REP);
            int port = rep.bindToRandomPort("tcp://127.0.0.1");
            rep.setReceiveTimeOut(10_000);
            WireTap tap = tapTo(String.valueOf(port));
            String endpoint = tap.listenAddresses().get(0);
            ZMQ.Socket req = ctx.createSocket(SocketType.REQ);
            req.setReceiveTimeOut(10_000);
            req.connect(endpoint);
            req.send("first");
            assertThat(rep.recvStr()).isEqualTo("first");
            rep.send("ok");
            assertThat(req.recvStr()).isEqualTo("ok");

            try (Socket garbage = new Socket("127.0.0.1", Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1)))) {
                OutputStream out = garbage.getOutputStream();
                out.write("GET / HTTP/1.1\r\nHost: zmq\r\n\r\n".getBytes());
                out.flush();
                ProtocolErrorEvent error = sink.await(ProtocolErrorEvent.class, e -> e.direction() == Direction.IN);
                assertThat(error.conn()).isEqualTo("c2");
                assertThat(error.offset()).isZero();
                assertThat(error.message()).contains("greeting");

                req.send("second");
                assertThat(rep.recvStr()).isEqualTo("second");
                rep.send("ok again");
                assertThat(req.recvStr()).isEqualTo("ok again");
            }
            List<MessageEvent> c1 = sink.await(MessageEvent.class, m -> "c1".equals(m.conn()), 4);
            assertThat(c1).extracting(m -> text(m.body())).containsExactly("first", "ok", "second", "ok again");
            assertThat(sink.all(ProtocolErrorEvent.class)).allSatisfy(e -> assertThat(e.conn()).isEqualTo("c2"));
        }
    }
}
