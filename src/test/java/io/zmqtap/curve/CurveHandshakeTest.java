package io.zmqtap.curve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CurveHandshakeTest {
    private final KeyPair server = KeyPair.generate();
    private final KeyPair client = KeyPair.generate();
    private static final byte[] CLIENT_META = metadata("Socket-Type", "REQ");
    private static final byte[] SERVER_META = metadata("Socket-Type", "REP");

    @Test
    void clientAndServerAgreeAndExchangeMetadataAndMessages() throws CurveException {
        CurveClientHandshake c = new CurveClientHandshake(client, server.publicKey());
        CurveServerHandshake s = new CurveServerHandshake(server);
        c.welcome(s.hello(c.hello()));
        CurveServerHandshake.Initiate i = s.initiate(c.initiate(CLIENT_META));
        assertThat(i.clientKey()).isEqualTo(client.publicKey());
        assertThat(i.clientKeyZ85()).isEqualTo(client.publicKeyZ85());
        assertThat(i.metadata()).isEqualTo(CLIENT_META);
        assertThat(c.ready(s.ready(SERVER_META))).isEqualTo(SERVER_META);

        CurveSession cs = c.session();
        CurveSession ss = s.session();
        byte[] hi = "hello".getBytes(StandardCharsets.US_ASCII);
        byte[] request = box(cs, CurveSession.MORE, hi);
        CurveSession.Plain p = ss.opener().open(request, 0, request.length);
        assertThat(p.more()).isTrue();
        assertThat(p.body()).isEqualTo(hi);
        byte[] reply = ss.sealer().seal(CurveSession.COMMAND, hi, 0, hi.length);
        CurveSession.Plain q = cs.opener().open(reply, 0, reply.length);
        assertThat(q.command()).isTrue();
        assertThat(q.more()).isFalse();
        assertThat(q.body()).isEqualTo(hi);
    }

    @Test
    void aHelloForAnotherServerKeyIsRefusedAsSuch() {
        CurveClientHandshake c = new CurveClientHandshake(client, KeyPair.generate().publicKey());
        CurveServerHandshake s = new CurveServerHandshake(server);
        assertThatThrownBy(() -> s.hello(c.hello()))
                .isInstanceOfSatisfying(CurveException.class,
                        e -> assertThat(e.kind()).isEqualTo(CurveException.Kind.WRONG_SERVER_KEY))
                .hasMessageContaining("does not open with the server key " + server.publicKeyZ85());
    }

    @Test
    void aVouchThatDoesNotProveTheClientsKeyIsRefused() throws CurveException {
        // claims another key than the secret it vouches with
        KeyPair liar = KeyPair.of(KeyPair.generate().publicKey(), client.secret());
        CurveClientHandshake c = new CurveClientHandshake(liar, server.publicKey());
        CurveServerHandshake s = new CurveServerHandshake(server);
        c.welcome(s.hello(c.hello()));
        byte[] initiate = c.initiate(CLIENT_META);
        assertThatThrownBy(() -> s.initiate(initiate))
                .isInstanceOfSatisfying(CurveException.class, e -> assertThat(e.kind()).isEqualTo(CurveException.Kind.BAD_VOUCH))
                .hasMessageContaining("vouch");
    }

    @Test
    void aTamperedInitiateOrWelcomeIsRefused() throws CurveException {
        CurveClientHandshake c = new CurveClientHandshake(client, server.publicKey());
        CurveServerHandshake s = new CurveServerHandshake(server);
        byte[] welcome = s.hello(c.hello());
        byte[] bad = welcome.clone();
        bad[100] ^= 1;
        CurveClientHandshake c2 = new CurveClientHandshake(client, server.publicKey());
        c2.hello();
        assertThatThrownBy(() -> c2.welcome(bad)).isInstanceOf(CurveException.class);
        c.welcome(welcome);
        byte[] initiate = c.initiate(CLIENT_META);
        initiate[initiate.length - 1] ^= 1;
        assertThatThrownBy(() -> s.initiate(initiate)).isInstanceOfSatisfying(CurveException.class,
                e -> assertThat(e.kind()).isEqualTo(CurveException.Kind.BAD_BOX));
    }

    @Test
    void theServersErrorReachesTheClientAsARefusal() throws CurveException {
        CurveClientHandshake c = new CurveClientHandshake(client, server.publicKey());
        CurveServerHandshake s = new CurveServerHandshake(server);
        c.welcome(s.hello(c.hello()));
        s.initiate(c.initiate(CLIENT_META));
        byte[] error = CurveServerHandshake.error("400");
        assertThat(CurveClientHandshake.isError(error)).isTrue();
        assertThat(CurveClientHandshake.error(error)).isEqualTo("400");
        assertThatThrownBy(() -> c.ready(error)).isInstanceOfSatisfying(CurveException.class,
                e -> assertThat(e.kind()).isEqualTo(CurveException.Kind.REFUSED)).hasMessageEndingWith("400");
    }

    @Test
    void tamperedAndReplayedMessagesAreRefusedAndTheSessionGoesOn() throws CurveException {
        CurveSession[] pair = established();
        CurveSession.Sealer sealer = pair[0].sealer();
        CurveSession.Opener opener = pair[1].opener();
        byte[] body = "payload".getBytes(StandardCharsets.US_ASCII);
        byte[] first = sealer.seal(0, body, 0, body.length);
        byte[] second = sealer.seal(0, body, 0, body.length);

        byte[] tampered = first.clone();
        tampered[tampered.length - 2] ^= 0x40;
        assertThatThrownBy(() -> opener.open(tampered, 0, tampered.length)).isInstanceOfSatisfying(CurveException.class,
                e -> assertThat(e.kind()).isEqualTo(CurveException.Kind.BAD_BOX));
        assertThat(opener.open(first, 0, first.length).body()).isEqualTo(body);
        assertThatThrownBy(() -> opener.open(first, 0, first.length)).isInstanceOfSatisfying(CurveException.class,
                e -> assertThat(e.kind()).isEqualTo(CurveException.Kind.REPLAY)).hasMessageContaining("replayed");
        assertThat(opener.open(second, 0, second.length).body()).isEqualTo(body);
        assertThatThrownBy(() -> opener.open(first, 0, first.length)).isInstanceOf(CurveException.class);
    }

    @Test
    void aBoxFromTheOtherDirectionDoesNotOpen() throws CurveException {
        CurveSession[] pair = established();
        byte[] body = {1, 2, 3};
        byte[] fromServer = pair[1].sealer().seal(0, body, 0, body.length);
        // the server's own opener expects the client's nonce prefix: a reflected box fails
        assertThatThrownBy(() -> pair[1].opener().open(fromServer, 0, fromServer.length))
                .isInstanceOf(CurveException.class);
    }

    /** [client session, server session] after a good handshake. */
    CurveSession[] established() throws CurveException {
        CurveClientHandshake c = new CurveClientHandshake(client, server.publicKey());
        CurveServerHandshake s = new CurveServerHandshake(server);
        c.welcome(s.hello(c.hello()));
        s.initiate(c.initiate(CLIENT_META));
        c.ready(s.ready(SERVER_META));
        return new CurveSession[] {c.session(), s.session()};
    }

    private static byte[] box(CurveSession s, int flags, byte[] body) {
        return s.sealer().seal(flags, body, 0, body.length);
    }

    static byte[] metadata(String name, String value) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        byte[] v = value.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[1 + n.length + 4 + v.length];
        out[0] = (byte) n.length;
        System.arraycopy(n, 0, out, 1, n.length);
        out[1 + n.length + 3] = (byte) v.length;
        System.arraycopy(v, 0, out, 1 + n.length + 4, v.length);
        return out;
    }
}
