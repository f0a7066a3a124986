package io.zmqtap.curve;

import static io.zmqtap.curve.CurveException.Kind.MALFORMED;

import java.util.Arrays;

/**
 * The client's side of a CURVE handshake (RFC 26): HELLO out, WELCOME in, INITIATE (with our
 * long-term key, its vouch and our metadata) out, then READY (the server's metadata) or ERROR in.
 * Bodies of ZMTP command frames in and out; no sockets. One connection, one thread.
 *
 * <p>Usage:
 * <pre>{@code
 * CurveClientHandshake client = new CurveClientHandshake(KeyPair.generate(), serverPublicKey);
 * send(client.hello());
 * client.welcome(welcomeBody);                       // throws CurveException
 * send(client.initiate(ourMetadata));
 * byte[] serverMetadata = client.ready(readyBody);   // or: String why = client.error(errorBody)
 * CurveSession session = client.session();
 * }</pre>
 */
public final class CurveClientHandshake {
    private final KeyPair client;
    private final byte[] serverKey;
    private final KeyPair shortTerm = KeyPair.generate();
    private byte[] serverShortTerm;
    private byte[] cookie;
    private byte[] key;
    private long nextNonce = 1;
    private long lastServerNonce;
    private int step;

    /** @param serverKey the server's long-term public key, 32 bytes */
    public CurveClientHandshake(KeyPair client, byte[] serverKey) {
        if (serverKey.length != Boxes.KEY) {
            throw new IllegalArgumentException("a CURVE key is 32 bytes");
        }
        this.client = client;
        this.serverKey = serverKey.clone();
    }

    /** The HELLO body. */
    public byte[] hello() {
        expect(0, "HELLO");
        long n = nextNonce++;
        byte[] box = Boxes.box(new byte[64], Boxes.nonce(CurveProtocol.HELLO_NONCE, n), serverKey, shortTerm.secret());
        byte[] hello = CurveProtocol.start(CurveProtocol.HELLO, CurveProtocol.HELLO_SIZE);
        hello[6] = 1; // CurveZMQ 1.0; then 72 bytes of anti-amplification padding
        System.arraycopy(shortTerm.pub(), 0, hello, 80, 32);
        Boxes.putLong(hello, 112, n);
        System.arraycopy(box, 0, hello, 120, 80);
        step = 1;
        return hello;
    }

    /** Reads the server's WELCOME: its short-term key and the cookie INITIATE returns. */
    public void welcome(byte[] welcome) throws CurveException {
        expect(1, "WELCOME");
        if (!CurveProtocol.is(welcome, 0, welcome.length, CurveProtocol.WELCOME)) {
            throw new CurveException(MALFORMED, "expected WELCOME, got " + CurveProtocol.name(welcome));
        }
        if (welcome.length != CurveProtocol.WELCOME_SIZE) {
            throw new CurveException(MALFORMED, "a WELCOME of " + welcome.length + " bytes, not "
                    + CurveProtocol.WELCOME_SIZE);
        }
        byte[] plain = Boxes.open(welcome, 24, 144, Boxes.nonce(CurveProtocol.WELCOME_NONCE, welcome, 8),
                serverKey, shortTerm.secret());
        if (plain == null) {
            throw new CurveException(CurveException.Kind.WRONG_PEER_KEY, "the server's WELCOME does not open: "
                    + "the server's key is not " + KeyPair.z85(serverKey));
        }
        serverShortTerm = Arrays.copyOfRange(plain, 0, 32);
        cookie = Arrays.copyOfRange(plain, 32, 128);
        key = Boxes.precompute(serverShortTerm, shortTerm.secret());
        step = 2;
    }

    /** The INITIATE body: our long-term key, its vouch, and {@code metadata} (raw ZMTP properties). */
    public byte[] initiate(byte[] metadata) {
        expect(2, "INITIATE");
        byte[] vouchPlain = new byte[64];
        System.arraycopy(shortTerm.pub(), 0, vouchPlain, 0, 32);
        System.arraycopy(serverKey, 0, vouchPlain, 32, 32);
        byte[] vouchNonce = Boxes.random(16);
        byte[] vouch = Boxes.box(vouchPlain, Boxes.nonce(CurveProtocol.VOUCH_NONCE, vouchNonce, 0), serverShortTerm,
                client.secret());
        byte[] plain = new byte[128 + metadata.length];
        System.arraycopy(client.pub(), 0, plain, 0, 32);
        System.arraycopy(vouchNonce, 0, plain, 32, 16);
        System.arraycopy(vouch, 0, plain, 48, 80);
        System.arraycopy(metadata, 0, plain, 128, metadata.length);
        long n = nextNonce++;
        byte[] box = Boxes.sealed(plain, 0, plain.length, Boxes.nonce(CurveProtocol.INITIATE_NONCE, n), key);
        byte[] out = CurveProtocol.start(CurveProtocol.INITIATE, 113 + box.length);
        System.arraycopy(cookie, 0, out, 9, CurveProtocol.COOKIE_SIZE);
        Boxes.putLong(out, 105, n);
        System.arraycopy(box, 0, out, 113, box.length);
        step = 3;
        return out;
    }

    /** True when {@code body} is an ERROR command (the server refused us; see {@link #error}). */
    public static boolean isError(byte[] body) {
        return CurveProtocol.is(body, 0, body.length, CurveProtocol.ERROR);
    }

    /** The reason of a server's ERROR body, e.g. {@code 400}. */
    public static String error(byte[] body) {
        return CurveProtocol.errorReason(body);
    }

    /** Opens the server's READY and returns its metadata (raw ZMTP properties); the handshake is then done. */
    public byte[] ready(byte[] ready) throws CurveException {
        expect(3, "READY");
        if (isError(ready)) {
            throw new CurveException(CurveException.Kind.REFUSED, "the server refused the handshake: " + error(ready));
        }
        if (!CurveProtocol.is(ready, 0, ready.length, CurveProtocol.READY)) {
            throw new CurveException(MALFORMED, "expected READY, got " + CurveProtocol.name(ready));
        }
        if (ready.length < CurveProtocol.READY_MIN_SIZE) {
            throw new CurveException(MALFORMED, "a READY of " + ready.length + " bytes, fewer than "
                    + CurveProtocol.READY_MIN_SIZE);
        }
        long n = Boxes.getLong(ready, 6);
        byte[] metadata = Boxes.opened(ready, 14, ready.length - 14, Boxes.nonce(CurveProtocol.READY_NONCE, n), key);
        if (metadata == null) {
            throw new CurveException(CurveException.Kind.BAD_BOX, "the server's READY box does not open");
        }
        lastServerNonce = n;
        step = 4;
        return metadata;
    }

    /** The MESSAGE boxes of the connection, once READY came. */
    public CurveSession session() {
        expect(4, "a session");
        return new CurveSession(key, true, nextNonce, lastServerNonce);
    }

    private void expect(int at, String what) {
        if (step != at) {
            throw new IllegalStateException(what + " out of turn (step " + step + ")");
        }
    }
}
