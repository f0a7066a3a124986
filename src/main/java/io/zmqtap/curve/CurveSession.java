package io.zmqtap.curve;

/**
 * The MESSAGE boxes of an established CURVE connection: a {@link Sealer} for what we send and an
 * {@link Opener} for what the peer sends. Each has its own nonce counter and no shared state but
 * the (immutable) connection key, so the two may be used on two threads.
 *
 * <p>Usage:
 * <pre>{@code
 * CurveSession s = handshake.session();
 * byte[] box = s.sealer().seal(CurveSession.MORE, body, 0, body.length);   // MESSAGE command body
 * CurveSession.Plain p = s.opener().open(box, 0, box.length);             // throws CurveException
 * }</pre>
 */
public final class CurveSession {
    /** Plaintext flag: more frames of this message follow. */
    public static final int MORE = CurveProtocol.BOX_MORE;
    /** Plaintext flag: the body is a ZMTP command (PING, SUBSCRIBE...), not a message frame. */
    public static final int COMMAND = CurveProtocol.BOX_COMMAND;

    private static final int HEADER = 1 + CurveProtocol.MESSAGE.length() + 8;

    private final Sealer sealer;
    private final Opener opener;

    /**
     * @param key the connection key (crypto_box_beforenm of the peer's short-term public key and ours)
     * @param client true on the client's side (it seals with the C prefix and opens the S one)
     * @param nextNonce the short nonce our next box gets (the handshake used the ones before)
     * @param lastPeerNonce the peer's last short nonce in the handshake: its boxes must be above it
     */
    CurveSession(byte[] key, boolean client, long nextNonce, long lastPeerNonce) {
        this.sealer = new Sealer(key, client ? CurveProtocol.CLIENT_MESSAGE_NONCE : CurveProtocol.SERVER_MESSAGE_NONCE,
                nextNonce);
        this.opener = new Opener(key, client ? CurveProtocol.SERVER_MESSAGE_NONCE : CurveProtocol.CLIENT_MESSAGE_NONCE,
                lastPeerNonce);
    }

    public Sealer sealer() {
        return sealer;
    }

    public Opener opener() {
        return opener;
    }

    /** What a MESSAGE box held: the flags ({@link #MORE}, {@link #COMMAND}) and the frame body. */
    public record Plain(int flags, byte[] body) {
        public boolean more() {
            return (flags & MORE) != 0;
        }

        public boolean command() {
            return (flags & COMMAND) != 0;
        }
    }

    /** Seals what we send, each box with the next short nonce. One thread at a time. */
    public static final class Sealer {
        private final byte[] key;
        private final String prefix;
        private long nonce;

        private Sealer(byte[] key, String prefix, long nextNonce) {
            this.key = key;
            this.prefix = prefix;
            this.nonce = nextNonce;
        }

        /** The MESSAGE command body ({@code \x07MESSAGE}, nonce, box) for a frame with {@code flags}. */
        public byte[] seal(int flags, byte[] body, int off, int len) {
            byte[] plain = new byte[1 + len];
            plain[0] = (byte) (flags & (MORE | COMMAND));
            System.arraycopy(body, off, plain, 1, len);
            long n = nonce++;
            byte[] box = Boxes.sealed(plain, 0, plain.length, Boxes.nonce(prefix, n), key);
            byte[] out = CurveProtocol.start(CurveProtocol.MESSAGE, HEADER + box.length);
            Boxes.putLong(out, HEADER - 8, n);
            System.arraycopy(box, 0, out, HEADER, box.length);
            return out;
        }

        /** How many bytes {@link #seal} makes of a body of {@code len} bytes. */
        public static int sealedSize(int len) {
            return HEADER + Boxes.MAC + 1 + len;
        }
    }

    /** Opens what the peer sends, refusing replayed or reordered nonces. One thread at a time. */
    public static final class Opener {
        private final byte[] key;
        private final String prefix;
        private long last;

        private Opener(byte[] key, String prefix, long lastPeerNonce) {
            this.key = key;
            this.prefix = prefix;
            this.last = lastPeerNonce;
        }

        /** True when {@code body} (the frame's, from {@code off}) is a MESSAGE box. */
        public static boolean isMessage(byte[] body, int off, int len) {
            return CurveProtocol.is(body, off, len, CurveProtocol.MESSAGE);
        }

        /** Opens a MESSAGE command body; throws when it is no MESSAGE, is tampered with or replayed. */
        public Plain open(byte[] body, int off, int len) throws CurveException {
            if (!isMessage(body, off, len)) {
                throw new CurveException(CurveException.Kind.MALFORMED, "expected a MESSAGE, got "
                        + (len == 0 ? "an empty frame" : "a frame that is none"));
            }
            if (len < HEADER + Boxes.MAC + 1) {
                throw new CurveException(CurveException.Kind.MALFORMED, "a MESSAGE of " + len
                        + " bytes, fewer than the " + (HEADER + Boxes.MAC + 1) + " a box needs");
            }
            long n = Boxes.getLong(body, off + HEADER - 8);
            if (Long.compareUnsigned(n, last) <= 0) {
                throw new CurveException(CurveException.Kind.REPLAY, "a MESSAGE with nonce " + Long.toUnsignedString(n)
                        + ", not above the last one (" + Long.toUnsignedString(last) + "): replayed or reordered");
            }
            byte[] plain = Boxes.opened(body, off + HEADER, len - HEADER, Boxes.nonce(prefix, n), key);
            if (plain == null) {
                throw new CurveException(CurveException.Kind.BAD_BOX,
                        "a MESSAGE box that does not open: tampered with, or not for this connection");
            }
            last = n;
            byte[] frame = new byte[plain.length - 1];
            System.arraycopy(plain, 1, frame, 0, frame.length);
            return new Plain(plain[0] & (MORE | COMMAND), frame);
        }
    }
}
