package io.zmqtap.proxy;

import io.zmqtap.zmtp.FrameScanner;
import io.zmqtap.zmtp.FrameScanner.WireProtocolException;
import io.zmqtap.zmtp.Greeting;
import io.zmqtap.zmtp.ZmtpCommand;
import io.zmqtap.zmtp.ZmtpEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The wire engine's side of the ZMTP 3 handshake with one peer: the greeting both ways, then the
 * peer's READY (its Socket-Type must suit our side; its Identity may name it), and the commands
 * that can follow (PING is answered with PONG). Writes only to the peer's output buffer; every
 * problem is a {@link WireProtocolException} naming it.
 */
final class WireHandshake {
    private WireHandshake() {}

    /** How long a peer may hold back the rest of its greeting before we send the rest of ours anyway. */
    static final long GREETING_WAIT_NANOS = 200_000_000L;

    /**
     * Takes the peer's 64-byte greeting when it is all there; false while it is not.
     *
     * <p>Ours goes out in three parts, as libzmq's and JeroMQ's do: the 10-byte signature when the
     * connection opens ({@link #signature}), the major version once the peer's signature has come,
     * and the rest with our READY once the peer's whole greeting has come ({@link #sendRest}).
     * <ul>
     *   <li>libzmq sends the rest of its greeting (with its mechanism) when it has our major version,
     *   but on reading a mechanism other than its own it closes at once, without sending a byte more.
     *   Had we shown ours first, a PLAIN or CURVE client would vanish and we could not say why; so we
     *   learn its mechanism before it learns ours, and the notice names it.</li>
     *   <li>A JeroMQ peer depends on the pieces: JeroMQ 0.6.0 sometimes never registers a connection
     *   it opened with its selector (see HandshakeWatchdog) and then recovers only through its
     *   handshake timer, which it cancels as soon as it has read a whole greeting. It reads once on
     *   its own when the connection opens, so a whole greeting sent at once cancelled the timer and
     *   left the client hanging for good.</li>
     * </ul>
     * A peer that waits for all of ours before sending the rest of its own gets it after
     * {@link #GREETING_WAIT_NANOS} (see {@link #greetingOverdue}).
     */
    static boolean greeting(WirePeer p, ByteBuffer in) throws WireProtocolException {
        int at = in.position();
        if ((in.get(at) & 0xFF) != 0xFF) {
            throw new WireProtocolException(String.format(
                    "not a ZMTP peer: first byte 0x%02x, expected 0xff", in.get(at) & 0xFF));
        }
        // Before ZMTP 3, byte 10 is a revision, not a major version: 0x00 is ZMTP/1.0 behind a
        // signature, 0x01 ZMTP/2.0 (libzmq 3.x). Read unsigned; 0x02 is no version at all and is left
        // to the decoder ("bad greeting version").
        if (in.remaining() > 10 && (in.get(at + 10) & 0xFF) < 2) {
            int revision = in.get(at + 10) & 0xFF;
            throw new WireProtocolException("a ZMTP/" + (revision + 1)
                    + ".0 peer (libzmq 3 or older): the wire engine speaks ZMTP 3 only; use --engine jeromq");
        }
        if (!p.majorSent && in.remaining() >= ZmtpEncoder.SIGNATURE_SIZE) {
            p.reserveOut(1).put(ZmtpEncoder.greeting()[ZmtpEncoder.SIGNATURE_SIZE]);
            p.majorSent = true;
            p.majorSentAt = System.nanoTime();
        }
        if (in.remaining() < ZmtpEncoder.GREETING_SIZE) {
            return false;
        }
        Greeting g = p.decodeGreeting(in, at, at + ZmtpEncoder.GREETING_SIZE);
        if (g == null) {
            throw new WireProtocolException(p.decodeError() == null ? "unreadable greeting" : p.decodeError());
        }
        if (g.major() < 3) {
            throw new WireProtocolException("a ZMTP/" + g.version()
                    + " peer: the wire engine speaks ZMTP 3 only; use --engine jeromq");
        }
        if (!g.mechanism().equals("NULL")) {
            throw new WireProtocolException("the peer wants the " + g.mechanism()
                    + " security mechanism; the wire engine speaks NULL only");
        }
        sendRest(p);
        in.position(at + ZmtpEncoder.GREETING_SIZE);
        p.state = WirePeer.State.HANDSHAKE;
        return true;
    }

    /** What a fresh connection sends first: the greeting's signature. */
    static void signature(WirePeer p) {
        p.reserveOut(ZmtpEncoder.SIGNATURE_SIZE).put(ZmtpEncoder.greeting(), 0, ZmtpEncoder.SIGNATURE_SIZE);
    }

    /** The rest of our greeting after the major version, and our READY; once. */
    static void sendRest(WirePeer p) {
        if (p.greetingSent) {
            return;
        }
        int from = ZmtpEncoder.SIGNATURE_SIZE + 1;
        int rest = ZmtpEncoder.GREETING_SIZE - from;
        p.reserveOut(rest + p.side.ready.length).put(ZmtpEncoder.greeting(), from, rest).put(p.side.ready);
        p.greetingSent = true;
    }

    /** True when the peer has had our major version for a while and still holds back the rest of its greeting. */
    static boolean greetingOverdue(WirePeer p, long now) {
        return p.state == WirePeer.State.GREETING && p.majorSent && !p.greetingSent
                && now - p.majorSentAt > GREETING_WAIT_NANOS;
    }

    /**
     * Handles the command frame in {@code in} from {@code from} to {@code to}. Returns the peer's
     * READY when this was it (the caller checks and registers the peer), else {@code null}.
     */
    static ZmtpCommand.Ready command(WirePeer p, ByteBuffer in, int from, int to) throws WireProtocolException {
        ZmtpCommand c = p.decodeCommand(in, from, to);
        if (c == null) {
            throw new WireProtocolException(p.decodeError() == null ? "unreadable command" : p.decodeError());
        }
        if (c instanceof ZmtpCommand.Ready r && p.state == WirePeer.State.HANDSHAKE) {
            checkSocketType(p, r);
            return r;
        }
        if (c instanceof ZmtpCommand.Error e) {
            throw new WireProtocolException("the peer sent ERROR: " + e.reason());
        }
        if (c instanceof ZmtpCommand.Ping ping) {
            byte[] pong = ZmtpEncoder.pong(ping.context());
            p.reserveOut(pong.length).put(pong);
        } else if (p.state == WirePeer.State.READY && !(c instanceof ZmtpCommand.Pong)) {
            p.side.traffic.command(p, c); // e.g. a subscriber's SUBSCRIBE (ZMTP 3.1)
        }
        return null; // anything else (PONG, a repeated READY, unknown commands) needs no answer
    }

    private static void checkSocketType(WirePeer p, ZmtpCommand.Ready r) throws WireProtocolException {
        String type = new String(property(r, "Socket-Type"), StandardCharsets.US_ASCII);
        p.socketType = type;
        if (!p.side.peerTypes.contains(type)) {
            throw new WireProtocolException("a " + (type.isEmpty() ? "peer without a Socket-Type" : type)
                    + " cannot talk to the " + p.side.role + "'s " + p.side.type + " (expected "
                    + String.join(", ", p.side.peerTypes.stream().sorted().toList()) + ")");
        }
    }

    /** A READY property by name (names are case-insensitive); empty when absent. */
    static byte[] property(ZmtpCommand.Ready r, String name) {
        for (Map.Entry<String, byte[]> e : r.properties().entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return new byte[0];
    }
}
