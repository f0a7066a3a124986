package io.zmqtap.curve;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One direction through a peer in the middle of a CURVE connection, after the handshake: cuts
 * the bytes one peer sends into MESSAGE boxes, opens each with that peer's session, seals the
 * plaintext again with the other peer's session, and says what it saw as plain ZMTP frames (for
 * a dissector). Pure: bytes in, bytes out. One thread.
 *
 * <p>Usage ({@link CurveBridge} makes the two relays of a connection):
 * <pre>{@code
 * CurveRelay.Output o = relay.relay(chunk);   // throws CurveException on a bad box, a replay, a huge frame
 * write(destination, o.wire());               // re-sealed MESSAGEs, as data frames as libzmq sends them
 * dissect(o.plain());                         // the same frames in plaintext ZMTP
 * }</pre>
 */
public final class CurveRelay {
    /** What a chunk became: bytes for the destination and the plaintext frames; either may be empty. */
    public record Output(ByteBuffer wire, ByteBuffer plain) {}

    private static final byte[] SUBSCRIBE = "\u0009SUBSCRIBE".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CANCEL = "\u0006CANCEL".getBytes(StandardCharsets.US_ASCII);

    private final FrameBuffer in;
    private final CurveSession.Opener opener;
    private final CurveSession.Sealer sealer;
    private final boolean downgradeSubscriptions;

    /**
     * @param in the source's frames (it may hold some already, read with the handshake)
     * @param downgradeSubscriptions the destination speaks ZMTP 3.0: a SUBSCRIBE or CANCEL command
     *     goes on as the data frame 3.0 expects ({@code \x01topic}, {@code \x00topic}), as libzmq does
     */
    CurveRelay(FrameBuffer in, CurveSession.Opener opener, CurveSession.Sealer sealer, boolean downgradeSubscriptions) {
        this.in = in;
        this.opener = opener;
        this.sealer = sealer;
        this.downgradeSubscriptions = downgradeSubscriptions;
    }

    /** True when bytes read with the handshake wait to be relayed: call {@link #relay} with an empty chunk. */
    public boolean hasBuffered() {
        return in.buffered() > 0;
    }

    /** Relays every whole frame {@code chunk} completes; keeps a frame's beginning for the next chunk. */
    public Output relay(ByteBuffer chunk) throws CurveException {
        in.feed(chunk);
        ZmtpWriter wire = null;
        ZmtpWriter plain = null;
        for (FrameBuffer.Frame f; (f = in.next()) != null; ) {
            CurveSession.Plain p = opener.open(f.body(), 0, f.body().length);
            if (wire == null) {
                wire = new ZmtpWriter(f.body().length + 16);
                plain = new ZmtpWriter(f.body().length);
            }
            int flags = (p.more() ? FrameBuffer.MORE : 0) | (p.command() ? FrameBuffer.COMMAND : 0);
            plain.frame(flags, p.body());
            byte[] sealed = downgradeSubscriptions && p.command() ? downgraded(p.body()) : null;
            sealed = sealed != null ? sealer.seal(0, sealed, 0, sealed.length)
                    : sealer.seal(p.flags(), p.body(), 0, p.body().length);
            wire.frame(0, sealed); // libzmq 4.3 sends MESSAGE as a data frame, MORE sealed in the box
        }
        if (wire == null) {
            return new Output(ByteBuffer.allocate(0), ByteBuffer.allocate(0));
        }
        return new Output(ByteBuffer.wrap(wire.bytes()), ByteBuffer.wrap(plain.bytes()));
    }

    /** A 3.1 SUBSCRIBE/CANCEL command as a 3.0 subscription data frame; null for other commands. */
    private static byte[] downgraded(byte[] command) {
        byte[] name = startsWith(command, SUBSCRIBE) ? SUBSCRIBE : startsWith(command, CANCEL) ? CANCEL : null;
        if (name == null) {
            return null;
        }
        byte[] out = new byte[1 + command.length - name.length];
        out[0] = (byte) (name == SUBSCRIBE ? 1 : 0);
        System.arraycopy(command, name.length, out, 1, out.length - 1);
        return out;
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        return b.length >= prefix.length && java.util.Arrays.equals(b, 0, prefix.length, prefix, 0, prefix.length);
    }
}
