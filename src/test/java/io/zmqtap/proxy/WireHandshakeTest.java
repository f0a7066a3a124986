package io.zmqtap.proxy;

import static io.zmqtap.proxy.RawZmtp.ascii;
import static io.zmqtap.proxy.RawZmtp.concat;
import static io.zmqtap.proxy.RawZmtp.readyAs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zmqtap.zmtp.FrameScanner.WireProtocolException;
import io.zmqtap.zmtp.ZmtpCommand;
import io.zmqtap.zmtp.ZmtpEncoder;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The wire engine's side of the ZMTP handshake, fed bytes without a socket: what it sends back and
 * when (its greeting in three parts, as libzmq's), and the exact reason it refuses a peer.
 */
class WireHandshakeTest {
    private final WireMemory memory = new WireMemory(16L << 20);

    private WirePeer peer(WireSide side) {
        WirePeer p = new WirePeer(side, "127.0.0.1:50001", memory);
        WireHandshake.signature(p); // what the loop sends when the connection opens
        return p;
    }

    /** What {@code p} has to send so far. */
    private static byte[] output(WirePeer p) {
        ByteBuffer out = p.out.duplicate().flip();
        byte[] b = new byte[out.remaining()];
        out.get(b);
        return b;
    }

    /** A NULL ZMTP 3.1 greeting with {@code mechanism} in its mechanism field. */
    private static byte[] greeting(String mechanism) {
        byte[] g = ZmtpEncoder.greeting().clone();
        Arrays.fill(g, 12, 32, (byte) 0);
        byte[] name = ascii(mechanism);
        System.arraycopy(name, 0, g, 12, name.length);
        return g;
    }

    /** A PING command frame: TTL (tenths of a second) and context. */
    private static byte[] ping(int ttl, byte[] context) {
        ByteBuffer body = ByteBuffer.allocate(1 + 4 + 2 + context.length);
        body.put((byte) 4).put(ascii("PING")).putShort((short) ttl).put(context);
        return concat(new byte[] {ZmtpEncoder.COMMAND, (byte) body.capacity()}, body.array());
    }

    /** Takes {@code p}'s greeting fed one byte more at a time, then its READY; returns the READY. */
    private static ZmtpCommand.Ready greetAndReady(WirePeer p, byte[] greeting, byte[] ready) throws WireProtocolException {
        for (int n = 1; n < greeting.length; n++) {
            assertThat(WireHandshake.greeting(p, ByteBuffer.wrap(greeting, 0, n).slice())).as("%d bytes", n).isFalse();
        }
        ByteBuffer in = ByteBuffer.wrap(greeting);
        assertThat(WireHandshake.greeting(p, in)).isTrue();
        assertThat(in.position()).isEqualTo(ZmtpEncoder.GREETING_SIZE);
        return WireHandshake.command(p, ByteBuffer.wrap(ready), 0, ready.length);
    }

    @Test
    void ourGreetingGoesOutInThreePartsAsThePeersArrives() throws Exception {
        WirePeer p = peer(WireSide.frontend());
        byte[] mine = ZmtpEncoder.greeting();
        assertThat(output(p)).as("on opening: the signature").isEqualTo(Arrays.copyOf(mine, 10));

        byte[] theirs = ZmtpEncoder.greeting();
        for (int n = 1; n < 10; n++) {
            assertThat(WireHandshake.greeting(p, ByteBuffer.wrap(theirs, 0, n).slice())).isFalse();
            assertThat(output(p)).hasSize(10);
        }
        assertThat(WireHandshake.greeting(p, ByteBuffer.wrap(theirs, 0, 10).slice())).isFalse();
        assertThat(output(p)).as("their signature: our major version").isEqualTo(Arrays.copyOf(mine, 11));
        assertThat(WireHandshake.greeting(p, ByteBuffer.wrap(theirs, 0, 63).slice())).isFalse();
        assertThat(output(p)).hasSize(11);

        assertThat(WireHandshake.greeting(p, ByteBuffer.wrap(theirs))).isTrue();
        assertThat(p.state).isEqualTo(WirePeer.State.HANDSHAKE);
        assertThat(output(p)).as("their whole greeting: the rest of ours, and our READY")
                .isEqualTo(concat(mine, readyAs("ROUTER")));
    }

    @Test
    void aPeerThatWaitsForOurWholeGreetingGetsItAfterAWhile() throws Exception {
        WirePeer p = peer(WireSide.backend());
        WireHandshake.greeting(p, ByteBuffer.wrap(ZmtpEncoder.greeting(), 0, 11).slice());
        assertThat(WireHandshake.greetingOverdue(p, p.majorSentAt + WireHandshake.GREETING_WAIT_NANOS)).isFalse();
        assertThat(WireHandshake.greetingOverdue(p, p.majorSentAt + WireHandshake.GREETING_WAIT_NANOS + 1)).isTrue();
        WireHandshake.sendRest(p);
        WireHandshake.sendRest(p); // once only
        assertThat(output(p)).isEqualTo(concat(ZmtpEncoder.greeting(), readyAs("DEALER")));
        assertThat(WireHandshake.greetingOverdue(p, Long.MAX_VALUE)).isFalse();
    }

    @Test
    void aReadyNamesTheClientsSocketTypeAndIdentity() throws Exception {
        WirePeer p = peer(WireSide.frontend());
        Map<String, byte[]> properties = new LinkedHashMap<>();
        properties.put("Socket-Type", ascii("REQ"));
        properties.put("Identity", ascii("client_a"));
        ZmtpCommand.Ready ready = greetAndReady(p, ZmtpEncoder.greeting(), ZmtpEncoder.ready(properties));
        assertThat(ready).isNotNull();
        assertThat(p.socketType).isEqualTo("REQ");
        assertThat(WireHandshake.property(ready, "identity")).as("names are case-insensitive").isEqualTo(ascii("client_a"));
        assertThat(WireHandshake.property(ready, "Resource")).isEmpty();
    }

    @Test
    void aSocketTypeThatCannotTalkToTheSideIsRefusedNamingBoth() {
        WirePeer p = peer(WireSide.frontend());
        assertThatThrownBy(() -> greetAndReady(p, ZmtpEncoder.greeting(), readyAs("PUB")))
                .isInstanceOf(WireProtocolException.class)
                .hasMessage("a PUB cannot talk to the frontend's ROUTER (expected DEALER, REQ, ROUTER)");
        WirePeer q = peer(WireSide.capture());
        assertThatThrownBy(() -> greetAndReady(q, ZmtpEncoder.greeting(), ZmtpEncoder.ready(Map.of())))
                .isInstanceOf(WireProtocolException.class)
                .hasMessage("a peer without a Socket-Type cannot talk to the capture's PUB (expected SUB, XSUB)");
    }

    @Test
    void aPingIsAnsweredWithAPongCarryingItsContext() throws Exception {
        WirePeer p = peer(WireSide.backend());
        greetAndReady(p, ZmtpEncoder.greeting(), readyAs("REP"));
        p.state = WirePeer.State.READY;
        int before = output(p).length;
        byte[] ping = ping(50, ascii("ctx"));
        assertThat(WireHandshake.command(p, ByteBuffer.wrap(ping), 0, ping.length)).isNull();
        byte[] out = output(p);
        assertThat(Arrays.copyOfRange(out, before, out.length)).isEqualTo(ZmtpEncoder.pong(ascii("ctx")));
    }

    @Test
    void anErrorCommandClosesWithItsReason() throws Exception {
        WirePeer p = peer(WireSide.backend());
        greetAndReady(p, ZmtpEncoder.greeting(), readyAs("REP"));
        byte[] error = ZmtpEncoder.error("no thanks");
        assertThatThrownBy(() -> WireHandshake.command(p, ByteBuffer.wrap(error), 0, error.length))
                .isInstanceOf(WireProtocolException.class).hasMessage("the peer sent ERROR: no thanks");
    }

    @Test
    void peersTheWireEngineCannotServeAreToldWhyInOneSentence() {
        assertThatThrownBy(() -> WireHandshake.greeting(peer(WireSide.frontend()), ByteBuffer.wrap(ascii("GET / HTTP/1.1"))))
                .isInstanceOf(WireProtocolException.class).hasMessage("not a ZMTP peer: first byte 0x47, expected 0xff");

        byte[] zmtp2 = Arrays.copyOf(ZmtpEncoder.greeting(), 12);
        zmtp2[10] = 1; // ZMTP/2.0: byte 10 is the revision
        assertThatThrownBy(() -> WireHandshake.greeting(peer(WireSide.frontend()), ByteBuffer.wrap(zmtp2)))
                .isInstanceOf(WireProtocolException.class)
                .hasMessage("a ZMTP/2.0 peer (libzmq 3 or older): the wire engine speaks ZMTP 3 only; use --engine jeromq");

        WirePeer plain = peer(WireSide.frontend());
        assertThatThrownBy(() -> WireHandshake.greeting(plain, ByteBuffer.wrap(greeting("PLAIN"))))
                .isInstanceOf(WireProtocolException.class)
                .hasMessage("the peer wants the PLAIN security mechanism; the wire engine speaks NULL only");
        assertThat(output(plain)).as("it never learnt our mechanism").hasSize(11);
    }
}
