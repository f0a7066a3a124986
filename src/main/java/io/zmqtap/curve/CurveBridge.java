package io.zmqtap.curve;

import java.nio.ByteBuffer;

/**
 * A peer in the middle of a CURVE connection, as mitmproxy is for TLS: the server to the client
 * (it holds the server's long-term key) and a client to the server (with a key of its own the
 * server accepts). Drives both handshakes from the bytes each side sends and says what to send
 * each; once both are through it hands out a {@link CurveRelay} per direction. Pure: no sockets,
 * one thread.
 *
 * <pre>
 *   client                     bridge                          server
 *   greeting, HELLO  ------&gt;    (our greeting went at start)
 *                    &lt;------   WELCOME
 *   INITIATE         ------&gt;   client key, vouch, metadata
 *                               greeting, HELLO          ------&gt;
 *                                                        &lt;------  greeting, WELCOME
 *                               INITIATE (the client's metadata) ------&gt;
 *                                                        &lt;------  READY (or ERROR)
 *                    &lt;------   READY with the server's metadata (or its ERROR)
 * </pre>
 *
 * <p>Usage:
 * <pre>{@code
 * CurveBridge b = new CurveBridge(serverKeys, clientKeys, 16 << 20);
 * write(client, b.start());
 * CurveBridge.Step s = b.fromClient(chunk);      // or b.fromUpstream(chunk); throws CurveException
 * write(client, s.toClient()); write(upstream, s.toUpstream());
 * if (b.established()) { CurveRelay in = b.clientToServer(), out = b.serverToClient(); }
 * if (b.refused() != null) { ...the server's ERROR went to the client: close after writing it }
 * }</pre>
 */
public final class CurveBridge {
    /** What to send each side after a chunk; either may be empty. */
    public record Step(ByteBuffer toClient, ByteBuffer toUpstream) {}

    private static final String CURVE = "CURVE";
    /**
     * The largest handshake command accepted: INITIATE is 257 bytes plus the metadata, which libzmq
     * keeps to a few names; a peer announcing more is refused before it is buffered.
     */
    static final int MAX_HANDSHAKE_COMMAND = 64 * 1024;
    /** The version we greet with: libzmq 4.3's, whose subscriptions are commands. */
    private static final int MINOR = 1;

    private final KeyPair serverKeys;
    private final int maxFrame;
    private final FrameBuffer client;
    private final FrameBuffer upstream;
    private final CurveServerHandshake asServer;
    private final CurveClientHandshake asClient;
    private FrameBuffer.Greeting clientGreeting;
    private FrameBuffer.Greeting upstreamGreeting;
    private CurveServerHandshake.Initiate initiate;
    private byte[] serverMetadata;
    private String refused;
    private boolean helloSeen;
    private boolean upstreamStarted;
    private boolean welcomed;
    /** Each side's session, made once: its sealer and opener go to the two relays. */
    private CurveSession serverSessionCache;
    private CurveSession clientSessionCache;

    /**
     * @param server the server's long-term keys (its secret certificate)
     * @param client the keys we present to the server
     * @param maxFrame the largest frame either side may send, in bytes
     */
    public CurveBridge(KeyPair server, KeyPair client, int maxFrame) {
        this.serverKeys = server;
        this.maxFrame = maxFrame;
        this.client = new FrameBuffer(Math.min(maxFrame, MAX_HANDSHAKE_COMMAND));
        this.upstream = new FrameBuffer(Math.min(maxFrame, MAX_HANDSHAKE_COMMAND));
        this.asServer = new CurveServerHandshake(server);
        this.asClient = new CurveClientHandshake(client, server.publicKey());
    }

    /** Our greeting to the client, to send at once (libzmq peers wait for a peer's greeting to finish theirs). */
    public ByteBuffer start() {
        return ByteBuffer.wrap(new ZmtpWriter().greeting(3, MINOR, CURVE, true).bytes());
    }

    /** Takes bytes the client sent during the handshake. */
    public Step fromClient(ByteBuffer chunk) throws CurveException {
        client.feed(chunk);
        ZmtpWriter toClient = new ZmtpWriter();
        ZmtpWriter toUpstream = new ZmtpWriter();
        if (clientGreeting == null) {
            clientGreeting = client.greeting();
            if (clientGreeting == null) {
                return step(toClient, toUpstream);
            }
            if (!CURVE.equals(clientGreeting.mechanism())) {
                throw new CurveException(CurveException.Kind.MALFORMED, "the client greets with the "
                        + clientGreeting.mechanism() + " mechanism, not CURVE");
            }
        }
        for (FrameBuffer.Frame f; initiate == null && (f = client.next()) != null; ) {
            byte[] body = command(f, "the client");
            if (!helloSeen) {
                toClient.command(asServer.hello(body));
                helloSeen = true;
            } else {
                initiate = asServer.initiate(body);
                // now the server: greet it as the client did (its version), then HELLO
                toUpstream.greeting(clientGreeting.major(), clientGreeting.minor(), CURVE, false)
                        .command(asClient.hello());
                upstreamStarted = true;
            }
        }
        if (initiate != null && client.buffered() > 0) {
            throw new CurveException(CurveException.Kind.MALFORMED, "the client sent more before its READY came");
        }
        return step(toClient, toUpstream);
    }

    /** Takes bytes the server sent during the handshake. */
    public Step fromUpstream(ByteBuffer chunk) throws CurveException {
        upstream.feed(chunk);
        ZmtpWriter toClient = new ZmtpWriter();
        ZmtpWriter toUpstream = new ZmtpWriter();
        if (!upstreamStarted) {
            // libzmq greets as soon as it is connected (the signature, then the rest once ours
            // came): keep it until the client's INITIATE lets us answer; nothing else may come
            if (upstream.buffered() > FrameBuffer.GREETING_SIZE) {
                throw new CurveException(CurveException.Kind.MALFORMED, "the server sent more than its greeting "
                        + "before the tap greeted it");
            }
            return step(toClient, toUpstream);
        }
        if (upstreamGreeting == null) {
            upstreamGreeting = upstream.greeting();
            if (upstreamGreeting == null) {
                return step(toClient, toUpstream);
            }
            if (!CURVE.equals(upstreamGreeting.mechanism())) {
                throw new CurveException(CurveException.Kind.MALFORMED, "the server greets with the "
                        + upstreamGreeting.mechanism() + " mechanism, not CURVE");
            }
            // to the client we said 3.1: the server may be older; our greeting to it said the client's
        }
        for (FrameBuffer.Frame f; serverMetadata == null && refused == null && (f = upstream.next()) != null; ) {
            byte[] body = command(f, "the server");
            if (CurveClientHandshake.isError(body)) {
                refused = CurveClientHandshake.error(body);
                toClient.command(CurveServerHandshake.error(refused)); // the client hears the server's reason
            } else if (!welcomed) {
                asClient.welcome(body);
                welcomed = true;
                toUpstream.command(asClient.initiate(initiate.metadata()));
            } else {
                serverMetadata = asClient.ready(body);
                toClient.command(asServer.ready(serverMetadata));
            }
        }
        return step(toClient, toUpstream);
    }

    /** True once both handshakes are through: the relays may be taken. */
    public boolean established() {
        return serverMetadata != null;
    }

    /** The server's ERROR reason (e.g. {@code 400}) once it refused the client; null otherwise. */
    public String refused() {
        return refused;
    }

    /** True once the client's INITIATE was accepted (its key and metadata are known). */
    public boolean clientKnown() {
        return initiate != null;
    }

    /** The client's long-term public key in Z85 (vouched for in its INITIATE). */
    public String clientKeyZ85() {
        return initiate.clientKeyZ85();
    }

    /** The server's long-term public key in Z85. */
    public String serverKeyZ85() {
        return serverKeys.publicKeyZ85();
    }

    /** Client to server: opens with our server side, seals with our client side. */
    public CurveRelay clientToServer() {
        requireEstablished();
        boolean serverOld = upstreamGreeting.major() == 3 && upstreamGreeting.minor() == 0;
        client.maxFrame(maxFrame);
        return new CurveRelay(client, serverSession().opener(), clientSession().sealer(), serverOld);
    }

    /** Server to client: opens with our client side, seals with our server side. */
    public CurveRelay serverToClient() {
        requireEstablished();
        boolean clientOld = clientGreeting.major() == 3 && clientGreeting.minor() == 0;
        upstream.maxFrame(maxFrame);
        return new CurveRelay(upstream, clientSession().opener(), serverSession().sealer(), clientOld);
    }

    /**
     * What the client said, as a plaintext ZMTP stream would: a NULL greeting of its version and a
     * READY with its metadata. A dissector fed this, then {@link CurveRelay.Output#plain()}, sees
     * the decrypted conversation as a plain one.
     */
    public ByteBuffer clientPrologue() {
        requireEstablished();
        return prologue(clientGreeting, new FrameBuffer.Greeting(3, MINOR, CURVE, true), false, initiate.metadata());
    }

    /** The server's side of {@link #clientPrologue()}, with its READY's metadata. */
    public ByteBuffer serverPrologue() {
        requireEstablished();
        return prologue(upstreamGreeting, clientGreeting, true, serverMetadata);
    }

    private static ByteBuffer prologue(FrameBuffer.Greeting g, FrameBuffer.Greeting greeted, boolean asServer,
            byte[] metadata) {
        // the version it speaks is the lower of its own and the one it was greeted with (RFC 23)
        boolean lower = g.major() > greeted.major() || g.major() == greeted.major() && g.minor() > greeted.minor();
        FrameBuffer.Greeting spoken = lower ? greeted : g;
        byte[] ready = CurveProtocol.start(CurveProtocol.READY, 1 + CurveProtocol.READY.length() + metadata.length);
        System.arraycopy(metadata, 0, ready, 1 + CurveProtocol.READY.length(), metadata.length);
        return ByteBuffer.wrap(new ZmtpWriter().greeting(spoken.major(), spoken.minor(), "NULL", asServer).command(ready).bytes());
    }

    private CurveSession serverSession() {
        if (serverSessionCache == null) {
            serverSessionCache = asServer.session();
        }
        return serverSessionCache;
    }

    private CurveSession clientSession() {
        if (clientSessionCache == null) {
            clientSessionCache = asClient.session();
        }
        return clientSessionCache;
    }

    private void requireEstablished() {
        if (!established()) {
            throw new IllegalStateException("the handshakes are not through");
        }
    }

    private byte[] command(FrameBuffer.Frame f, String who) throws CurveException {
        if (!f.command()) {
            throw new CurveException(CurveException.Kind.MALFORMED, who + " sent a message frame during the handshake");
        }
        return f.body();
    }

    private static Step step(ZmtpWriter toClient, ZmtpWriter toUpstream) {
        return new Step(ByteBuffer.wrap(toClient.bytes()), ByteBuffer.wrap(toUpstream.bytes()));
    }
}
