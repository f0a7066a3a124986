package io.zmqtap.proxy;

import io.zmqtap.zmtp.FrameScanner;
import io.zmqtap.zmtp.FrameScanner.WireProtocolException;
import io.zmqtap.zmtp.ZmtpCommand;
import java.nio.ByteBuffer;

/**
 * What one side of a {@link WireLoop} does with its peers once their handshake is through: the
 * queue's frontend and backend route messages ({@link WireRouter}), the capture side publishes to
 * subscribers ({@link CapturePublisher}). Called on the loop's thread only.
 */
interface WireTraffic {
    /** {@code p} finished its handshake with {@code ready}; throw to refuse it (e.g. a duplicate routing id). */
    void joined(WirePeer p, ZmtpCommand.Ready ready) throws WireProtocolException;

    /** {@code p}'s connection closed (it may not have finished its handshake). */
    void left(WirePeer p);

    /**
     * A whole message from {@code p} lies in {@code in} where {@code m} found it. Returns false
     * when it cannot be taken now: it stays in {@code p}'s buffer and {@code p} is not read until
     * the loop retries (after room appeared somewhere).
     */
    boolean message(WirePeer p, ByteBuffer in, FrameScanner m) throws WireProtocolException;

    /** A command after the handshake other than PING, PONG and ERROR (e.g. SUBSCRIBE); ignored by default. */
    default void command(WirePeer p, ZmtpCommand c) throws WireProtocolException {}

    /** True while this side's peers must not be read (e.g. clients while a server's replies cannot be taken). */
    default boolean holdsReading(WirePeer p) {
        return false;
    }
}
