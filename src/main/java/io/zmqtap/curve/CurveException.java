package io.zmqtap.curve;

/**
 * A CURVE handshake or box that cannot be accepted, with a sentence saying why and a {@link Kind}
 * for callers that word it for their users.
 *
 * <p>Usage: {@code try { welcome = server.hello(body); } catch (CurveException e) { if (e.kind() == Kind.WRONG_SERVER_KEY) ... }}
 */
public final class CurveException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What went wrong, for callers that say it in their own words. */
    public enum Kind {
        /** The client's HELLO does not open with the server key we hold: it expects another server. */
        WRONG_SERVER_KEY,
        /** The server's WELCOME does not open: the server is not the one whose public key we hold. */
        WRONG_PEER_KEY,
        /** The client's INITIATE vouch does not prove its long-term key. */
        BAD_VOUCH,
        /** The server refused the handshake with an ERROR command (e.g. its ZAP handler said no). */
        REFUSED,
        /** A box that does not open (tampered, or not for this connection). */
        BAD_BOX,
        /** A MESSAGE whose nonce is not above the last one: replayed or reordered. */
        REPLAY,
        /** A frame larger than the bound the caller set. */
        TOO_LARGE,
        /** Anything else that breaks RFC 23 / RFC 26: wrong command, wrong size, wrong mechanism. */
        MALFORMED
    }

    private final Kind kind;

    public CurveException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
