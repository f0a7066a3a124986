package io.zmqtap.tap;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.curve.KeyPair;
import io.zmqtap.event.CommandEvent;
import io.zmqtap.event.ConnectionEvent;
import io.zmqtap.event.Direction;
import io.zmqtap.event.Frame;
import io.zmqtap.event.HandshakeEvent;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.event.NoticeEvent;
import io.zmqtap.event.ProtocolErrorEvent;
import io.zmqtap.pipeline.Pipeline;
import io.zmqtap.security.Certificates;
import io.zmqtap.testing.ChildProcess;
import io.zmqtap.testing.Closer;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * libzmq CURVE peers (pyzmq) through a tap that decrypts: both run CURVE unchanged, the server's
 * ZAP handler allows only the tap's client key, and the events show the plaintext.
 */
class TapDecryptTest {
    private static final Duration LINE_TIMEOUT = Duration.ofSeconds(20);
    /** A CURVE server (its certificate argv[1], ZAP allowing the public certificates in argv[2]) and client helpers. */
    private static final String PREAMBLE = TapInteropTest.PREAMBLE + """
            import zmq.auth
            from zmq.auth.thread import ThreadAuthenticator
            server_public, server_secret = zmq.auth.load_certificate(sys.argv[1])
            auth = ThreadAuthenticator(ctx)
            auth.start()
            auth.configure_curve(domain="*", location=sys.argv[2])
            client_public, client_secret = zmq.curve_keypair()
            SERVER = {zmq.CURVE_SERVER: 1, zmq.CURVE_PUBLICKEY: server_public, zmq.CURVE_SECRETKEY: server_secret}
            def client_opts(server_key=server_public, public=client_public, secret=client_secret):
                return {zmq.CURVE_SERVERKEY: server_key, zmq.CURVE_PUBLICKEY: public, zmq.CURVE_SECRETKEY: secret}
            """;

    @TempDir
    Path keys;
    private final RecordingSink sink = new RecordingSink();
    private final Closer closer = new Closer();
    private Path serverSecret;
    private Path allowed;
    private KeyPair tapClient;
    private String lastTap;
    private int maxFrame = WireTap.DEFAULT_DECRYPT_MAX_FRAME;
    private Duration handshakeTimeout = WireTap.DEFAULT_HANDSHAKE_TIMEOUT;
    /** The server's ZAP allows the keys in this directory, or any key with "*" (CURVE_ALLOW_ANY); null: {@code allowed}. */
    private String zapLocation;

    @AfterEach
    void tearDown() {
        closer.close();
    }

    private <T extends AutoCloseable> T closing(T c) {
        return closer.add(c);
    }

    /**
     * Makes the server's certificate, the tap's client certificate, and the ZAP directory: it holds
     * the tap's public certificate when {@code allowTap} (pyzmq loads {@code *.key} files), else another.
     */
    private void certificates(boolean allowTap) throws Exception {
        Certificates.Pair server = Certificates.generate(keys.resolve("server"), "server.key");
        serverSecret = server.secretFile();
        allowed = Files.createDirectories(keys.resolve("allowed"));
        Certificates.Pair tap = Certificates.generate(keys.resolve("tap"), "tap.key");
        tapClient = KeyPair.of(Certificates.loadSecret(tap.secretFile()));
        if (allowTap) {
            Files.copy(tap.publicFile(), allowed.resolve("tap.key"));
        } else {
            Certificates.generate(allowed, "someone-else.key");
        }
    }

    /** Starts {@code script}, a decrypting tap (with a pipeline, for pairing) to the port it prints, and tells it the tap's endpoint. */
    private ChildProcess python(String script) throws Exception {
        ChildProcess peer = closing(ChildProcess.python("CURVE peers", PREAMBLE + script,
                List.of(serverSecret.toString(), zapLocation != null ? zapLocation : allowed.toString())));
        String port = peer.nextLine(LINE_TIMEOUT);
        WireTap tap = closing(WireTap.builder()
                .route("tcp://127.0.0.1:0", "tcp://127.0.0.1:" + port)
                .decrypt(KeyPair.of(Certificates.loadSecret(serverSecret)), tapClient)
                .decryptMaxFrame(maxFrame)
                .handshakeTimeout(handshakeTimeout)
                .sinkFor(source -> closing(Pipeline.builder(source).sink(sink).start()))
                .start());
        lastTap = tap.listenAddresses().get(0);
        peer.send(lastTap);
        return peer;
    }

    private static String text(List<Frame> frames) {
        return String.join(",", frames.stream().map(Frame::text).toList());
    }

    @Test
    void reqRepRepliesArriveIntactAndEventsShowThePlaintextPairedWithTheClientsKey() throws Exception {
        certificates(true);
        ChildProcess peer = python("""
                rep, req = pair(zmq.REP, zmq.REQ, server_opts=SERVER, client_opts=client_opts())
                print(client_public.decode())
                for i in range(3):
                    req.send_string("question %d" % i)
                    rep.send_string(rep.recv_string().replace("question", "answer"))
                    print(req.recv_string())
                print("done")
                req.close()
                """);
        String clientKey = peer.nextLine(LINE_TIMEOUT);
        for (int i = 0; i < 3; i++) {
            assertThat(peer.nextLine(LINE_TIMEOUT)).isEqualTo("answer " + i);
        }
        assertThat(peer.nextLine(LINE_TIMEOUT)).isEqualTo("done");
        sink.await(ConnectionEvent.class, e -> e.kind() == ConnectionEvent.Kind.CLOSED);

        HandshakeEvent client = sink.all(HandshakeEvent.class, h -> h.direction() == Direction.IN).get(0);
        assertThat(client.mechanism()).isEqualTo("CURVE");
        assertThat(client.socketType()).isEqualTo("REQ");
        assertThat(client.properties().get("decrypted by").text()).isEqualTo("zmqtap tap");
        assertThat(client.properties().get("CURVE key").text()).isEqualTo(clientKey); // the real client's, not the tap's
        HandshakeEvent server = sink.all(HandshakeEvent.class, h -> h.direction() == Direction.OUT).get(0);
        assertThat(server.socketType()).isEqualTo("REP");
        assertThat(server.asServer()).isTrue();
        ConnectionEvent opened = sink.all(ConnectionEvent.class).get(0);
        assertThat(List.of(opened.clientSocketType(), opened.serverSocketType(), opened.mechanism()))
                .containsExactly("REQ", "REP", "CURVE");

        List<MessageEvent> messages = sink.all(MessageEvent.class);
        assertThat(messages).extracting(m -> m.direction() + " " + text(m.body())).containsExactly(
                "IN question 0", "OUT answer 0", "IN question 1", "OUT answer 1", "IN question 2", "OUT answer 2");
        for (int i = 1; i < messages.size(); i += 2) {
            assertThat(messages.get(i).replyTo()).isEqualTo(messages.get(i - 1).seq());
            assertThat(messages.get(i).latencyNanos()).isPositive();
        }
        assertThat(sink.all(ProtocolErrorEvent.class)).isEmpty();
        assertThat(sink.all(NoticeEvent.class)).isEmpty();
    }

    @Test
    void withoutACertificateTheTapShowsAServerThatAcceptsAnyKeyAThrowawayOneAndSaysSo() throws Exception {
        certificates(false); // the tap's certificate is not allowed, and not used:
        tapClient = null;    // no --cert
        zapLocation = "*";   // a server that accepts any client key
        ChildProcess peer = python("""
                rep, req = pair(zmq.REP, zmq.REQ, server_opts=SERVER, client_opts=client_opts())
                req.send_string("question")
                rep.send_string(rep.recv_string().replace("question", "answer"))
                print(req.recv_string())
                req.close()
                """);
        assertThat(peer.nextLine(LINE_TIMEOUT)).isEqualTo("answer");
        sink.await(ConnectionEvent.class, e -> e.kind() == ConnectionEvent.Kind.CLOSED);

        assertThat(sink.all(NoticeEvent.class)).singleElement().satisfies(n -> assertThat(n.text())
                .startsWith("decrypting CURVE with a throwaway client key ")
                .endsWith(" towards the server: only a server that accepts any client key will talk to the tap "
                        + "(give a client certificate it accepts to change that)"));
        assertThat(sink.all(MessageEvent.class)).extracting(m -> m.direction() + " " + text(m.body()))
                .containsExactly("IN question", "OUT answer");
    }

    @Test
    void dealerRouterWithAnIdentityMultipartAndALongFrame() throws Exception {
        certificates(true);
        ChildProcess peer = python("""
                router, dealer = pair(zmq.ROUTER, zmq.DEALER, b"dealer-7", server_opts=SERVER, client_opts=client_opts())
                big = b"x" * 1000
                dealer.send_multipart([b"part one", b"", big])
                who, one, empty, payload = router.recv_multipart()
                print(who.decode(), one.decode(), len(payload))
                router.send_multipart([who, b"reply", big + b"!"])
                frames = dealer.recv_multipart()
                print(frames[0].decode(), len(frames[1]))
                dealer.close()
                """);
        assertThat(peer.nextLine(LINE_TIMEOUT)).isEqualTo("dealer-7 part one 1000");
        assertThat(peer.nextLine(LINE_TIMEOUT)).isEqualTo("reply 1001");
        sink.await(ConnectionEvent.class, e -> e.kind() == ConnectionEvent.Kind.CLOSED);

        HandshakeEvent client = sink.all(HandshakeEvent.class, h -> h.direction() == Direction.IN).get(0);
        assertThat(client.identity()).isEqualTo(Frame.of("dealer-7"));
        List<MessageEvent> messages = sink.all(MessageEvent.class);
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0).identity()).isEqualTo(Frame.of("dealer-7"));
        assertThat(messages.get(0).frames()).extracting(Frame::size).containsExactly(8L, 0L, 1000L);
        assertThat(messages.get(0).frames().get(2).text()).isEqualTo("x".repeat(1000));
        assertThat(messages.get(1).frames()).extracting(Frame::size).containsExactly(5L, 1001L);
    }

    @Test
    void pubSubSubscriptionPassesThroughAndMessagesAreDecrypted() throws Exception {
        certificates(true);
        ChildProcess peer = python("""
                pub, sub = pair(zmq.PUB, zmq.SUB, server_opts=SERVER, client_opts=client_opts())
                sub.setsockopt(zmq.SUBSCRIBE, b"weather")
                import time
                got = None
                for i in range(200):   # until the subscription has come through the tap
                    pub.send_string("weather %d" % i)
                    pub.send_string("sports %d" % i)
                    if sub.poll(50):
                        got = sub.recv_string()
                        break
                print(got.split()[0])
                sub.close()
                """);
        assertThat(peer.nextLine(LINE_TIMEOUT)).isEqualTo("weather");
        sink.await(ConnectionEvent.class, e -> e.kind() == ConnectionEvent.Kind.CLOSED);

        CommandEvent subscribe = sink.all(CommandEvent.class, c -> c.name().equals("SUBSCRIBE")).get(0);
        assertThat(subscribe.direction()).isEqualTo(Direction.IN);
        assertThat(subscribe.topic()).isEqualTo(Frame.of("weather"));
        List<MessageEvent> messages = sink.all(MessageEvent.class);
        assertThat(messages).isNotEmpty().allSatisfy(m -> {
            assertThat(m.direction()).isEqualTo(Direction.OUT);
            assertThat(text(m.frames())).startsWith("weather "); // the server filters: sports never went out
        });
    }

    @Test
    void aServerThatDoesNotAllowTheTapsKeyRefusesTheClientAndTheTapSaysSo() throws Exception {
        certificates(false);
        ChildProcess peer = python("""
                rep = sock(zmq.REP)
                for k, v in SERVER.items():
                    rep.setsockopt(k, v)
                print(rep.bind_to_random_port("tcp://127.0.0.1"))
                req = sock(zmq.REQ)
                for k, v in client_opts().items():
                    req.setsockopt(k, v)
                from zmq.utils.monitor import recv_monitor_message
                mon = req.get_monitor_socket()
                mon.rcvtimeo = 10000
                req.connect(sys.stdin.readline().strip())
                while True:
                    event = recv_monitor_message(mon)
                    print(repr(event), file=sys.stderr)
                    if event["event"] == zmq.EVENT_HANDSHAKE_FAILED_AUTH:
                        break
                print("refused", event["value"])
                req.disable_monitor()
                req.close()
                """);
        assertThat(peer.nextLine(LINE_TIMEOUT)).isEqualTo("refused 400");
        NoticeEvent notice = sink.await(NoticeEvent.class, n -> n.text().contains("refused"));
        assertThat(notice.text()).contains("the server refused the tap's CURVE client key " + tapClient.publicKeyZ85())
                .contains("ERROR 400");
        assertThat(notice.conn()).isEqualTo("c1");
        assertThat(sink.all(MessageEvent.class)).isEmpty();
    }

    @Test
    void aClientThatPinnedAnotherServerKeyIsClosedWithANoticeAndTheNextIsServed() throws Exception {
        certificates(true);
        ChildProcess peer = python("""
                rep, req = pair(zmq.REP, zmq.REQ, server_opts=SERVER,
                                client_opts=client_opts(server_key=zmq.curve_keypair()[0]))
                tap = sys.stdin.readline().strip()   # the test saw the notice
                req.close()
                good = sock(zmq.REQ)
                for k, v in client_opts().items():
                    good.setsockopt(k, v)
                good.connect(tap)
                good.send(b"still served?")
                rep.send(rep.recv() + b" yes")
                print(good.recv().decode())
                good.close()
                """);
        NoticeEvent notice = sink.await(NoticeEvent.class, n -> n.text().contains("HELLO"));
        assertThat(notice.level()).isEqualTo(NoticeEvent.Level.WARNING);
        assertThat(notice.text()).endsWith(
                "the client's HELLO does not open with --decrypt's key: is it the server's secret certificate?");
        peer.send(sink.events().get(0).source());
        assertThat(peer.nextLine(LINE_TIMEOUT)).isEqualTo("still served? yes");
        MessageEvent request = sink.await(MessageEvent.class, m -> m.direction() == Direction.IN);
        assertThat(text(request.body())).isEqualTo("still served?");
    }

    @Test
    void aFrameOverTheBoundClosesThatConnectionWithANotice() throws Exception {
        certificates(true);
        maxFrame = 4096;
        ChildProcess peer = python("""
                rep, req = pair(zmq.REP, zmq.REQ, server_opts=SERVER, client_opts=client_opts())
                req.send(b"small")
                rep.send(rep.recv())
                print(req.recv().decode())
                req.send(b"y" * 10000)
                print("sent")
                sys.stdin.readline()
                """);
        assertThat(peer.nextLine(LINE_TIMEOUT)).isEqualTo("small");
        NoticeEvent notice = sink.await(NoticeEvent.class, n -> n.text().contains("allowed"));
        // 10000 bytes sealed: MESSAGE name (8), nonce (8), MAC (16), flags (1)
        assertThat(notice.text()).endsWith("a frame of 10033 bytes, more than the 4096 allowed");
        ConnectionEvent closed = sink.await(ConnectionEvent.class, e -> e.kind() == ConnectionEvent.Kind.CLOSED);
        assertThat(closed.messagesIn()).isEqualTo(1);
        peer.send("bye");
    }

    @Test
    void aClientThatStallsInTheHandshakeIsDroppedAtTheDeadline() throws Exception {
        certificates(true);
        handshakeTimeout = Duration.ofMillis(300);
        ChildProcess peer = python("""
                rep = sock(zmq.REP)
                for k, v in SERVER.items():
                    rep.setsockopt(k, v)
                print(rep.bind_to_random_port("tcp://127.0.0.1"))
                tap = sys.stdin.readline()
                sys.stdin.readline()
                """);
        URI endpoint = URI.create(lastTap.replace("tcp://", "http://"));
        try (Socket stalled = new Socket(endpoint.getHost(), endpoint.getPort())) {
            byte[] greeting = new byte[64];
            greeting[0] = (byte) 0xff;
            greeting[9] = 0x7f;
            greeting[10] = 3;
            greeting[11] = 1;
            System.arraycopy("CURVE".getBytes(StandardCharsets.US_ASCII), 0, greeting, 12, 5);
            stalled.getOutputStream().write(greeting); // and then nothing: no HELLO
            stalled.setSoTimeout(10_000);
            byte[] theirs = stalled.getInputStream().readNBytes(64); // the tap's CURVE greeting, as-server
            assertThat(new String(theirs, 12, 5, StandardCharsets.US_ASCII)).isEqualTo("CURVE");
            assertThat(theirs[32]).isEqualTo((byte) 1);
            NoticeEvent notice = sink.await(NoticeEvent.class, n -> n.text().contains("no ZMTP handshake"));
            assertThat(notice.text()).contains("no ZMTP handshake within 300 ms");
            assertThat(readOrReset(stalled)).as("then the tap closed it").isEqualTo(-1);
        }
        peer.send("bye");
    }

    private static int readOrReset(Socket s) throws IOException {
        try {
            return s.getInputStream().read();
        } catch (SocketException reset) {
            return -1; // a reset is a close too
        }
    }
}
