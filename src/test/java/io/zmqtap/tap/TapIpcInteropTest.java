package io.zmqtap.tap;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.event.ConnectionEvent;
import io.zmqtap.event.Direction;
import io.zmqtap.event.Frame;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.event.ProtocolErrorEvent;
import io.zmqtap.testing.Closer;
import io.zmqtap.testing.ChildProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * libzmq peers (pyzmq) over real {@code ipc://} (Unix domain sockets) through the tap, alone and
 * mixed with {@code tcp://}: the peers get exactly the bytes they were sent, as over a direct
 * connection, and the tap decodes them.
 */
class TapIpcInteropTest {
    private static final Duration LINE_TIMEOUT = Duration.ofSeconds(20);
    /**
     * A REP bound where argv[1] says (printing the endpoint it got) and a REQ connected where stdin
     * says (the tap); 50 requests of assorted sizes, each answered reversed; prints four SHA-256
     * digests: sent by REQ, received by REP, sent by REP, received by REQ.
     */
    private static final String REQ_REP = TapInteropTest.PREAMBLE + """
            import random
            rep = sock(zmq.REP)
            rep.bind(sys.argv[1])
            print(rep.getsockopt(zmq.LAST_ENDPOINT).decode())
            req = sock(zmq.REQ)
            req.setsockopt(zmq.IDENTITY, b"ipc-client")
            req.connect(sys.stdin.readline().strip())
            sent, got, replied, back = [hashlib.sha256() for _ in range(4)]
            rnd = random.Random(7)
            for i in range(50):
                m = os.urandom(rnd.choice([1, 16, 300, 70000]))
                sent.update(m)
                req.send(m)
                r = rep.recv()
                got.update(r)
                reply = r[::-1]
                replied.update(reply)
                rep.send(reply)
                back.update(req.recv())
            print(sent.hexdigest(), got.hexdigest(), replied.hexdigest(), back.hexdigest())
            req.close()
            """;

    @TempDir
    Path dir;

    private final RecordingSink sink = new RecordingSink();
    private final Closer closer = new Closer();

    @AfterEach
    void tearDown() {
        closer.close();
    }

    private String endpoint(String kind, String name) {
        return kind.equals("ipc") ? "ipc://" + dir.resolve(name) : "tcp://127.0.0.1:" + (name.equals("server") ? "*" : "0");
    }

    @ParameterizedTest(name = "client --{0}--> tap --{1}--> server")
    @CsvSource({"ipc, ipc", "tcp, ipc", "ipc, tcp"})
    void libzmqReqRepThroughTheTapGetExactlyTheirBytesAndAreDecoded(String front, String back) throws Exception {
        ChildProcess peer = closer.add(ChildProcess.python("ipc REQ/REP", REQ_REP, List.of(endpoint(back, "server"))));
        String server = peer.nextLine(LINE_TIMEOUT);
        WireTap tap = closer.add(WireTap.builder().route(endpoint(front, "tap.sock"), server).sink(sink).start());
        String listen = tap.listenAddresses().get(0);
        if (front.equals("ipc")) {
            assertThat(listen).isEqualTo("ipc://" + dir.resolve("tap.sock"));
        }
        peer.send(listen);

        String[] digests = peer.nextLine(LINE_TIMEOUT).split(" ");
        ConnectionEvent closed = sink.await(ConnectionEvent.class, e -> e.kind() == ConnectionEvent.Kind.CLOSED);

        assertThat(digests[1]).as("REP received what REQ sent").isEqualTo(digests[0]);
        assertThat(digests[3]).as("REQ received what REP sent").isEqualTo(digests[2]);
        List<MessageEvent> in = sink.all(MessageEvent.class, m -> m.direction() == Direction.IN);
        List<MessageEvent> out = sink.all(MessageEvent.class, m -> m.direction() == Direction.OUT);
        assertThat(in).hasSize(50).allSatisfy(m -> assertThat(m.identity()).isEqualTo(Frame.of("ipc-client")));
        assertThat(out).hasSize(50);
        assertThat(digest(in)).as("decoded requests").isEqualTo(digests[0]);
        assertThat(digest(out)).as("decoded replies").isEqualTo(digests[2]);
        assertThat(sink.all(ProtocolErrorEvent.class)).isEmpty();
        assertThat(List.of(closed.clientSocketType(), closed.serverSocketType(), closed.version()))
                .containsExactly("REQ", "REP", "3.1");
        assertThat(closed.upstream()).isEqualTo(back.equals("ipc") ? server : server.substring("tcp://".length()));
        assertThat(closed.client()).startsWith(front.equals("ipc") ? "ipc peer on " : "127.0.0.1:");

        tap.close();
        if (front.equals("ipc")) {
            assertThat(Files.exists(dir.resolve("tap.sock"))).as("the tap removed its socket file").isFalse();
        }
    }

    /** SHA-256 over the body of every message, as the Python side computes it. */
    private static String digest(List<MessageEvent> messages) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (MessageEvent m : messages) {
            for (Frame f : m.body()) {
                assertThat(f.truncated()).isFalse();
                sha.update(f.data());
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
