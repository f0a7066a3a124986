package io.zmqtap.curve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A CURVE client and server (this package's handshakes over ZMTP bytes) with a bridge between them. */
class CurveBridgeTest {
    private final KeyPair server = KeyPair.generate();
    private final KeyPair tapClient = KeyPair.generate();
    private final KeyPair client = KeyPair.generate();
    private final byte[] clientMeta = CurveHandshakeTest.metadata("Socket-Type", "DEALER");
    private final byte[] serverMeta = CurveHandshakeTest.metadata("Socket-Type", "ROUTER");

    @Test
    void bothHandshakesGoThroughAndMessagesAreRelayedAndShownInPlaintext() throws CurveException {
        CurveBridge bridge = new CurveBridge(server, tapClient, 1 << 20);
        CurveClientHandshake c = new CurveClientHandshake(client, server.publicKey());
        CurveServerHandshake s = new CurveServerHandshake(server);
        FrameBuffer atClient = buffer(bridge.start());
        assertThat(atClient.greeting().asServer()).isTrue();

        CurveBridge.Step step = bridge.fromClient(bytes(new ZmtpWriter().greeting(3, 1, "CURVE", false).command(c.hello())));
        atClient.feed(step.toClient());
        c.welcome(atClient.next().body());
        step = bridge.fromClient(bytes(new ZmtpWriter().command(c.initiate(clientMeta))));
        assertThat(bridge.clientKnown()).isTrue();
        assertThat(bridge.clientKeyZ85()).isEqualTo(client.publicKeyZ85());
        FrameBuffer atServer = buffer(step.toUpstream());
        assertThat(atServer.greeting().mechanism()).isEqualTo("CURVE");
        byte[] welcome = s.hello(atServer.next().body());

        step = bridge.fromUpstream(bytes(new ZmtpWriter().greeting(3, 1, "CURVE", true).command(welcome)));
        atServer.feed(step.toUpstream());
        CurveServerHandshake.Initiate i = s.initiate(atServer.next().body());
        assertThat(i.clientKey()).isEqualTo(tapClient.publicKey()); // the server sees the tap's key
        assertThat(i.metadata()).isEqualTo(clientMeta);             // with the client's metadata
        byte[] ready = s.ready(serverMeta);
        CurveSession serverSession = s.session();
        byte[] early = "early".getBytes(StandardCharsets.US_ASCII); // sent right behind READY, in the same chunk
        step = bridge.fromUpstream(bytes(new ZmtpWriter().command(ready)
                .frame(0, serverSession.sealer().seal(0, early, 0, early.length))));
        assertThat(bridge.established()).isTrue();
        atClient.feed(step.toClient());
        assertThat(c.ready(atClient.next().body())).isEqualTo(serverMeta);
        CurveSession clientSession = c.session();

        CurveRelay out = bridge.serverToClient();
        assertThat(out.hasBuffered()).isTrue();
        CurveRelay.Output o = out.relay(ByteBuffer.allocate(0));
        atClient.feed(o.wire());
        FrameBuffer.Frame f = atClient.next();
        assertThat(f.command()).isFalse();
        assertThat(clientSession.opener().open(f.body(), 0, f.body().length).body()).isEqualTo(early);

        CurveRelay in = bridge.clientToServer();
        byte[] req = "request".getBytes(StandardCharsets.US_ASCII);
        o = in.relay(bytes(new ZmtpWriter().frame(0, clientSession.sealer().seal(CurveSession.MORE, req, 0, req.length))));
        atServer.feed(o.wire());
        CurveSession.Plain p = serverSession.opener().open(atServer.next().body(), 0, o.wire().limit() - 2);
        assertThat(p.body()).isEqualTo(req);
        assertThat(p.more()).isTrue();
        FrameBuffer shown = buffer(bridge.clientPrologue());
        shown.feed(o.plain());
        assertThat(shown.greeting().mechanism()).isEqualTo("NULL");
        FrameBuffer.Frame readyShown = shown.next();
        assertThat(readyShown.command()).isTrue();
        assertThat(new String(readyShown.body(), StandardCharsets.ISO_8859_1)).startsWith("\u0005READY").endsWith("DEALER");
        FrameBuffer.Frame msg = shown.next();
        assertThat(msg.body()).isEqualTo(req);
        assertThat(msg.more()).isTrue();
    }

    @Test
    void aClientThatExpectsAnotherServerIsRefusedWithTheReason() throws CurveException {
        CurveBridge bridge = new CurveBridge(server, tapClient, 1 << 20);
        CurveClientHandshake c = new CurveClientHandshake(client, KeyPair.generate().publicKey());
        assertThatThrownBy(() -> bridge.fromClient(bytes(new ZmtpWriter().greeting(3, 1, "CURVE", false).command(c.hello()))))
                .isInstanceOfSatisfying(CurveException.class,
                        e -> assertThat(e.kind()).isEqualTo(CurveException.Kind.WRONG_SERVER_KEY));
    }

    @Test
    void aClientWithoutCurveIsRefused() {
        CurveBridge bridge = new CurveBridge(server, tapClient, 1 << 20);
        assertThatThrownBy(() -> bridge.fromClient(bytes(new ZmtpWriter().greeting(3, 1, "NULL", false))))
                .hasMessage("the client greets with the NULL mechanism, not CURVE");
    }

    @Test
    void theServersErrorGoesToTheClient() throws CurveException {
        Midway m = new Midway(1);
        CurveBridge bridge = m.bridge;
        FrameBuffer atClient = m.atClient;
        CurveBridge.Step step = bridge.fromUpstream(bytes(new ZmtpWriter().command(CurveServerHandshake.error("400"))));
        assertThat(bridge.refused()).isEqualTo("400");
        assertThat(bridge.established()).isFalse();
        atClient.feed(step.toClient());
        byte[] error = atClient.next().body();
        assertThat(CurveClientHandshake.error(error)).isEqualTo("400");
    }

    @Test
    void aFrameOverTheBoundIsRefusedBeforeItIsBuffered() throws CurveException {
        FrameBuffer b = buffer(ByteBuffer.wrap(new ZmtpWriter().greeting(3, 1, "CURVE", false).bytes()));
        b.greeting();
        ByteBuffer header = ByteBuffer.allocate(9).put((byte) 0x02).putLong(100_000).flip();
        FrameBuffer small = new FrameBuffer(1000);
        small.feed(ByteBuffer.wrap(new ZmtpWriter().greeting(3, 1, "CURVE", false).bytes()));
        small.greeting();
        small.feed(header);
        assertThatThrownBy(small::next).hasMessage("a frame of 100000 bytes, more than the 1000 allowed");
    }

    /** A bridge driven until the server has read the tap's INITIATE (the server greets as ZMTP 3.{@code serverMinor}). */
    private final class Midway {
        final CurveBridge bridge = new CurveBridge(server, tapClient, 1 << 20);
        final CurveClientHandshake c = new CurveClientHandshake(client, server.publicKey());
        final CurveServerHandshake s = new CurveServerHandshake(server);
        final FrameBuffer atClient;
        final FrameBuffer atServer;

        Midway(int serverMinor) throws CurveException {
            atClient = buffer(bridge.start());
            atClient.greeting();
            atClient.feed(bridge.fromClient(bytes(new ZmtpWriter().greeting(3, 1, "CURVE", false).command(c.hello())))
                    .toClient());
            c.welcome(atClient.next().body());
            atServer = buffer(bridge.fromClient(bytes(new ZmtpWriter().command(c.initiate(clientMeta)))).toUpstream());
            atServer.greeting();
            byte[] welcome = s.hello(atServer.next().body());
            atServer.feed(bridge.fromUpstream(bytes(new ZmtpWriter().greeting(3, serverMinor, "CURVE", true)
                    .command(welcome))).toUpstream());
            s.initiate(atServer.next().body());
        }
    }

    private static FrameBuffer buffer(ByteBuffer bytes) {
        FrameBuffer b = new FrameBuffer(1 << 20);
        b.feed(bytes);
        return b;
    }

    private static ByteBuffer bytes(ZmtpWriter w) {
        return ByteBuffer.wrap(w.bytes());
    }

    @Test
    void aSubscribeCommandReachesAZmtp30ServerAsTheDataFrameItExpects() throws CurveException {
        Midway m = new Midway(0);
        CurveBridge bridge = m.bridge;
        CurveClientHandshake c = m.c;
        CurveServerHandshake s = m.s;
        FrameBuffer atClient = m.atClient;
        FrameBuffer atServer = m.atServer;
        atClient.feed(bridge.fromUpstream(bytes(new ZmtpWriter().command(s.ready(serverMeta)))).toClient());
        c.ready(atClient.next().body());
        FrameBuffer serverShown = buffer(bridge.serverPrologue());
        assertThat(serverShown.greeting().minor()).as("the server speaks 3.0").isZero();

        byte[] subscribe = "\u0009SUBSCRIBEweather".getBytes(StandardCharsets.US_ASCII);
        CurveRelay.Output o = bridge.clientToServer().relay(bytes(new ZmtpWriter()
                .frame(0, c.session().sealer().seal(CurveSession.COMMAND, subscribe, 0, subscribe.length))));
        atServer.feed(o.wire());
        FrameBuffer.Frame f = atServer.next();
        CurveSession.Plain p = s.session().opener().open(f.body(), 0, f.body().length);
        assertThat(p.command()).isFalse();
        assertThat(new String(p.body(), StandardCharsets.US_ASCII)).isEqualTo("\u0001weather");
    }

    @Test
    void aHugeHandshakeCommandIsRefusedFromItsHeader() {
        CurveBridge bridge = new CurveBridge(server, tapClient, 64 << 20);
        ByteBuffer greetingAndHeader = ByteBuffer.allocate(64 + 9);
        greetingAndHeader.put(new ZmtpWriter().greeting(3, 1, "CURVE", false).bytes());
        greetingAndHeader.put((byte) 0x06).putLong(50L << 20).flip(); // a COMMAND of 50 MiB announced
        assertThatThrownBy(() -> bridge.fromClient(greetingAndHeader)).isInstanceOfSatisfying(CurveException.class,
                e -> assertThat(e.kind()).isEqualTo(CurveException.Kind.TOO_LARGE))
                .hasMessage("a frame of 52428800 bytes, more than the 65536 allowed");
    }
}
