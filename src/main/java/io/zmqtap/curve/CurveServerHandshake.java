package io.zmqtap.curve;

import static io.zmqtap.curve.CurveException.Kind.BAD_VOUCH;
import static io.zmqtap.curve.CurveException.Kind.MALFORMED;
import static io.zmqtap.curve.CurveException.Kind.WRONG_SERVER_KEY;

/**
 * The server's side of a CURVE handshake (RFC 26): HELLO in, WELCOME out, INITIATE in (cookie and
 * vouch checked, the client's long-term key and metadata out), then READY or ERROR out. Bodies of
 * ZMTP command frames in and out; no sockets. One connection, one thread.
 *
 * <p>Usage:
 * <pre>{@code
 * CurveServerHandshake server = new CurveServerHandshake(KeyPair.of(Certificates.loadSecret(path)));
 * byte[] welcome = server.hello(helloBody);                 // throws CurveException
 * CurveServerHandshake.Initiate i = server.initiate(initiateBody);
 * byte[] ready = server.ready(ourMetadata);                 // or CurveServerHandshake.error("400")
 * CurveSession session = server.session();
 * }</pre>
 */
public final class CurveServerHandshake {
    private final KeyPair server;
    private final KeyPair shortTerm = KeyPair.generate();
    private final byte[] cookieKey = Boxes.random(Boxes.KEY);
    private byte[] clientShortTerm;
    private byte[] key;
    private long lastClientNonce;
    private long nextNonce = 1;
    private boolean helloDone;
    private boolean initiated;
    private boolean ready;

    public CurveServerHandshake(KeyPair server) {
        this.server = server;
    }

    /** What the client's INITIATE said: its long-term public key (vouched for) and its metadata, raw. */
    public record Initiate(byte[] clientKey, byte[] metadata) {
        /** The client's long-term key in Z85. */
        public String clientKeyZ85() {
            return KeyPair.z85(clientKey);
        }
    }

    /** Checks the client's HELLO and answers with the WELCOME body. */
    public byte[] hello(byte[] hello) throws CurveException {
        if (helloDone) {
            throw new CurveException(MALFORMED, "a second HELLO");
        }
        if (!CurveProtocol.is(hello, 0, hello.length, CurveProtocol.HELLO)) {
            throw new CurveException(MALFORMED, "expected HELLO, got " + CurveProtocol.name(hello));
        }
        if (hello.length != CurveProtocol.HELLO_SIZE) {
            throw new CurveException(MALFORMED, "a HELLO of " + hello.length + " bytes, not " + CurveProtocol.HELLO_SIZE);
        }
        if (hello[6] != 1 || hello[7] != 0) {
            throw new CurveException(MALFORMED, "a HELLO for CurveZMQ " + hello[6] + "." + hello[7] + ", not 1.0");
        }
        clientShortTerm = java.util.Arrays.copyOfRange(hello, 80, 112);
        lastClientNonce = Boxes.getLong(hello, 112);
        byte[] signature = Boxes.open(hello, 120, 80, Boxes.nonce(CurveProtocol.HELLO_NONCE, hello, 112),
                clientShortTerm, server.secret());
        if (signature == null) {
            throw new CurveException(WRONG_SERVER_KEY,
                    "the client's HELLO does not open with the server key " + server.publicKeyZ85());
        }
        helloDone = true;
        // cookie = Box[C' + s'](cookie key): what a stateless server would keep; we check it in INITIATE
        byte[] cookieNonce = Boxes.random(16);
        byte[] cookiePlain = new byte[64];
        System.arraycopy(clientShortTerm, 0, cookiePlain, 0, 32);
        System.arraycopy(shortTerm.secret(), 0, cookiePlain, 32, 32);
        byte[] cookieBox = Boxes.sealed(cookiePlain, 0, 64, Boxes.nonce(CurveProtocol.COOKIE_NONCE, cookieNonce, 0),
                cookieKey);
        byte[] welcomePlain = new byte[128];
        System.arraycopy(shortTerm.pub(), 0, welcomePlain, 0, 32);
        System.arraycopy(cookieNonce, 0, welcomePlain, 32, 16);
        System.arraycopy(cookieBox, 0, welcomePlain, 48, 80);
        byte[] welcomeNonce = Boxes.random(16);
        byte[] box = Boxes.box(welcomePlain, Boxes.nonce(CurveProtocol.WELCOME_NONCE, welcomeNonce, 0),
                clientShortTerm, server.secret());
        byte[] welcome = CurveProtocol.start(CurveProtocol.WELCOME, CurveProtocol.WELCOME_SIZE);
        System.arraycopy(welcomeNonce, 0, welcome, 8, 16);
        System.arraycopy(box, 0, welcome, 24, 144);
        return welcome;
    }

    /** Checks the client's INITIATE (cookie, box, vouch) and returns its key and metadata. */
    public Initiate initiate(byte[] initiate) throws CurveException {
        if (!helloDone || initiated) {
            throw new CurveException(MALFORMED, "an INITIATE out of turn");
        }
        if (!CurveProtocol.is(initiate, 0, initiate.length, CurveProtocol.INITIATE)) {
            throw new CurveException(MALFORMED, "expected INITIATE, got " + CurveProtocol.name(initiate));
        }
        if (initiate.length < CurveProtocol.INITIATE_MIN_SIZE) {
            throw new CurveException(MALFORMED, "an INITIATE of " + initiate.length + " bytes, fewer than "
                    + CurveProtocol.INITIATE_MIN_SIZE);
        }
        byte[] cookie = Boxes.opened(initiate, 25, 80, Boxes.nonce(CurveProtocol.COOKIE_NONCE, initiate, 9), cookieKey);
        if (cookie == null || !KeyPair.same(cookie, 0, clientShortTerm) || !KeyPair.same(cookie, 32, shortTerm.secret())) {
            throw new CurveException(MALFORMED, "the client's INITIATE does not carry our cookie");
        }
        long nonce = Boxes.getLong(initiate, 105);
        if (Long.compareUnsigned(nonce, lastClientNonce) <= 0) {
            throw new CurveException(CurveException.Kind.REPLAY, "the client's INITIATE nonce is not above its HELLO's");
        }
        key = Boxes.precompute(clientShortTerm, shortTerm.secret());
        byte[] plain = Boxes.opened(initiate, 113, initiate.length - 113,
                Boxes.nonce(CurveProtocol.INITIATE_NONCE, initiate, 105), key);
        if (plain == null || plain.length < 128) {
            throw new CurveException(CurveException.Kind.BAD_BOX, "the client's INITIATE box does not open");
        }
        lastClientNonce = nonce;
        byte[] clientKey = java.util.Arrays.copyOfRange(plain, 0, 32);
        byte[] vouch = Boxes.open(plain, 48, CurveProtocol.VOUCH_SIZE, Boxes.nonce(CurveProtocol.VOUCH_NONCE, plain, 32),
                clientKey, shortTerm.secret());
        if (vouch == null || !KeyPair.same(vouch, 0, clientShortTerm) || !KeyPair.same(vouch, 32, server.pub())) {
            throw new CurveException(BAD_VOUCH, "the client's INITIATE vouch does not prove its key "
                    + KeyPair.z85(clientKey));
        }
        initiated = true;
        return new Initiate(clientKey, java.util.Arrays.copyOfRange(plain, 128, plain.length));
    }

    /** The READY body carrying {@code metadata} (raw ZMTP properties); the handshake is then done. */
    public byte[] ready(byte[] metadata) {
        if (!initiated || ready) {
            throw new IllegalStateException("READY goes after an accepted INITIATE, once");
        }
        long n = nextNonce++;
        byte[] box = Boxes.sealed(metadata, 0, metadata.length, Boxes.nonce(CurveProtocol.READY_NONCE, n), key);
        byte[] out = CurveProtocol.start(CurveProtocol.READY, 14 + box.length);
        Boxes.putLong(out, 6, n);
        System.arraycopy(box, 0, out, 14, box.length);
        ready = true;
        return out;
    }

    /** An ERROR body refusing the client, e.g. with ZAP's status {@code 400}. */
    public static byte[] error(String reason) {
        return CurveProtocol.error(reason);
    }

    /** The MESSAGE boxes of the connection, once READY went out. */
    public CurveSession session() {
        if (!ready) {
            throw new IllegalStateException("no session before READY");
        }
        return new CurveSession(key, false, nextNonce, lastClientNonce);
    }
}
