package io.zmqtap.dissect;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.Direction;
import io.zmqtap.event.Frame;
import io.zmqtap.event.HandshakeEvent;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.event.NoticeEvent;
import io.zmqtap.event.ProtocolErrorEvent;
import io.zmqtap.zmtp.Greeting;
import io.zmqtap.zmtp.ProtocolError;
import io.zmqtap.zmtp.ZmtpCommand;
import io.zmqtap.zmtp.ZmtpDecoder;
import io.zmqtap.zmtp.ZmtpListener;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes one direction of a connection and reports what it sees as events.
 *
 * <p>The events of each chunk are collected and handed to {@link ConnectionDissector#release} with
 * the chunk's ticket, which puts both directions in causal order. After a protocol error (or,
 * defensively, a decoder failure) or a gap in the capture it stops decoding; the bytes are still
 * counted.
 *
 * <p>It also tells when this direction's part of the handshake is through ({@link #handshakeOver()}):
 * the peer sent READY (NULL, or made up for ZMTP 2.0/1.0 peers) or INITIATE (PLAIN; CURVE's, which
 * is encrypted but named), or decoding stopped, after which nobody can tell.
 *
 * <p>Fed by one thread at a time; {@link #handshakeOver()} and the totals may be read by any.
 */
final class DirectionDecoder implements ZmtpListener {
    private final ConnectionDissector connection;
    private final Direction direction;
    private final ZmtpDecoder decoder;
    private volatile Greeting greeting;
    private volatile long bytes;
    private volatile long messages;
    private final List<CaptureEvent> batch = new ArrayList<>();
    private long ticket;
    private Instant time = Instant.EPOCH;
    private boolean stopped;
    private volatile boolean handshakeOver; // read by the forwarding thread

    DirectionDecoder(ConnectionDissector connection, Direction direction, int maxFrame) {
        this.connection = connection;
        this.direction = direction;
        this.decoder = new ZmtpDecoder(this, maxFrame);
    }

    /** Decodes a chunk in the place {@code stamp} took; its events carry the stamp's time. */
    void decode(ConnectionDissector.Stamp stamp, ByteBuffer chunk) {
        stamp(stamp);
        long at = bytes;
        bytes = at + chunk.remaining();
        if (!stopped) {
            try {
                decoder.feed(chunk);
            } catch (RuntimeException e) {
                // The decoder promises not to throw; if it ever does, the caller (a tap forwarding) must go on regardless.
                protocolError(new ProtocolError(at, "decoder failed: " + e));
            }
        } else {
            chunk.position(chunk.limit());
        }
        release();
    }

    /** {@code missing} bytes were not captured: decoding stops here, with a notice, as ZMTP cannot be picked up mid-stream. */
    void gap(ConnectionDissector.Stamp stamp, long missing) {
        stamp(stamp);
        long at = bytes;
        bytes = at + missing;
        if (!stopped) {
            stopped = true;
            handshakeOver = true;
            batch.add(new NoticeEvent(time, connection.source(), connection.conn(), NoticeEvent.Level.WARNING,
                    missing + " bytes " + (direction == Direction.IN ? "from the client" : "from the server")
                            + " not captured at byte " + at + ": that direction is no longer decoded"));
        }
        release();
    }

    /** Stops decoding from here on, with {@code notice} (or none); the bytes that follow are still counted. */
    void stop(ConnectionDissector.Stamp stamp, String notice) {
        stamp(stamp);
        if (!stopped) {
            stopped = true;
            handshakeOver = true;
            if (notice != null) {
                batch.add(new NoticeEvent(time, connection.source(), connection.conn(), NoticeEvent.Level.WARNING,
                        notice));
            }
        }
        release();
    }

    private void stamp(ConnectionDissector.Stamp stamp) {
        this.ticket = stamp.ticket();
        this.time = stamp.time();
    }

    /** The peer closed its sending side (stamped when that was read). */
    void end(ConnectionDissector.Stamp stamp) {
        stamp(stamp);
        if (!stopped) {
            try {
                decoder.end();
            } catch (RuntimeException e) {
                protocolError(new ProtocolError(bytes, "decoder failed at end of stream: " + e));
            }
        }
        release();
    }

    private void release() {
        connection.release(ticket, batch);
        batch.clear();
    }

    @Override
    public void greeting(Greeting g) {
        greeting = g;
        if ("CURVE".equals(g.mechanism())) {
            // CURVE metadata is encrypted: the greeting is all there will ever be to show.
            handshake(g, null, Map.of());
        }
    }

    @Override
    public void command(ZmtpCommand c) {
        if (c instanceof ZmtpCommand.Ready || c instanceof ZmtpCommand.Initiate
                || c instanceof ZmtpCommand.CurveCommand k && (k.name().equals("READY") || k.name().equals("INITIATE"))) {
            handshakeOver = true;
        }
        if (c instanceof ZmtpCommand.Ready r) {
            handshake(greeting, r.socketType(), r.properties());
        } else if (c instanceof ZmtpCommand.Initiate i) {
            handshake(greeting, i.socketType(), i.properties());
        } else {
            batch.add(Commands.event(time, connection.source(), connection.conn(), direction, c));
        }
    }

    private void handshake(Greeting g, String type, Map<String, byte[]> properties) {
        Frame identity = null;
        Map<String, Frame> others = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> p : properties.entrySet()) {
            String name = p.getKey();
            if (name.equalsIgnoreCase("Identity")) {
                identity = p.getValue().length == 0 ? null : Frame.of(p.getValue());
            } else if (!name.equalsIgnoreCase("Socket-Type")) {
                others.put(name, Frame.of(p.getValue()));
            }
        }
        Greeting shown = g != null ? g : new Greeting(3, 0, "NULL", false);
        batch.add(new HandshakeEvent(time, connection.source(), connection.conn(), direction, shown.version(),
                shown.mechanism(), shown.asServer(), type, identity, others));
    }

    @Override
    public void message(List<Frame> frames) {
        messages++; // single writer: the thread feeding this direction
        connection.counters().message(direction);
        // The client's identity and the seq are filled in at release, where the order is known.
        batch.add(new MessageEvent(time, connection.source(), connection.conn(), 0, direction, null, frames, false));
    }

    @Override
    public void protocolError(ProtocolError e) {
        if (stopped) {
            return;
        }
        stopped = true;
        handshakeOver = true;
        connection.counters().protocolError(direction);
        batch.add(new ProtocolErrorEvent(time, connection.source(), connection.conn(), direction, e.offset(), e.message()));
    }

    /** True once this direction sent its last handshake command, or decoding stopped. */
    boolean handshakeOver() {
        return handshakeOver;
    }

    Greeting greeting() {
        return greeting;
    }

    long bytes() {
        return bytes;
    }

    long messages() {
        return messages;
    }
}
