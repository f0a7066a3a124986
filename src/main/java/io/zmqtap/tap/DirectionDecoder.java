package io.zmqtap.tap;

import io.zmqtap.capture.CommandEvent;
import io.zmqtap.capture.Direction;
import io.zmqtap.capture.Frame;
import io.zmqtap.capture.HandshakeEvent;
import io.zmqtap.capture.MessageEvent;
import io.zmqtap.capture.ProtocolErrorEvent;
import io.zmqtap.zmtp.Greeting;
import io.zmqtap.zmtp.ProtocolError;
import io.zmqtap.zmtp.ZmtpCommand;
import io.zmqtap.zmtp.ZmtpDecoder;
import io.zmqtap.zmtp.ZmtpListener;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes a copy of one direction of a connection and reports what it sees as events.
 *
 * <p>Runs on that direction's pump thread. After a protocol error (or, defensively, a decoder
 * failure) it stops decoding; the pump keeps forwarding regardless.
 */
final class DirectionDecoder implements Pump.Observer, ZmtpListener {
    private final ConnectionEvents connection;
    private final Direction direction;
    private final ZmtpDecoder decoder;
    private volatile Greeting greeting;
    private volatile String socketType;
    private volatile long bytes;
    private volatile long messages;
    private boolean stopped;

    DirectionDecoder(ConnectionEvents connection, Direction direction, int maxFrame) {
        this.connection = connection;
        this.direction = direction;
        this.decoder = new ZmtpDecoder(this, maxFrame);
    }

    @Override
    public void bytes(byte[] chunk, int offset, int length) {
        long at = bytes;
        bytes = at + length;
        if (stopped) {
            return;
        }
        try {
            decoder.feed(chunk, offset, length);
        } catch (RuntimeException e) {
            // The decoder promises not to throw; if it ever does, forwarding must go on regardless.
            protocolError(new ProtocolError(at, "decoder failed: " + e));
        }
    }

    @Override
    public void end() {
        if (stopped) {
            return;
        }
        try {
            decoder.end();
        } catch (RuntimeException e) {
            protocolError(new ProtocolError(bytes, "decoder failed at end of stream: " + e));
        }
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
        if (c instanceof ZmtpCommand.Ready r) {
            handshake(greeting, r.socketType(), r.properties());
        } else if (c instanceof ZmtpCommand.Initiate i) {
            handshake(greeting, i.socketType(), i.properties());
        } else {
            connection.emit(Commands.event(connection.id(), direction, c));
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
        socketType = type;
        Greeting shown = g != null ? g : new Greeting(3, 0, "NULL", false);
        connection.emit(new HandshakeEvent(Instant.now(), connection.id(), direction, shown.version(),
                shown.mechanism(), shown.asServer(), type, identity, others));
        connection.handshakeDone(this, identity);
    }

    @Override
    public void message(List<Frame> frames) {
        connection.maybeOpen(true);
        messages++; // single writer: this direction's pump thread
        (direction == Direction.IN ? connection.counters().messagesIn : connection.counters().messagesOut).increment();
        int delimiter = frames.indexOf(Frame.EMPTY);
        List<Frame> envelope = delimiter < 0 ? List.of() : frames.subList(0, delimiter);
        List<Frame> body = delimiter < 0 ? frames : frames.subList(delimiter + 1, frames.size());
        connection.emit(new MessageEvent(Instant.now(), connection.id(), direction, connection.clientIdentity(),
                envelope, body));
    }

    @Override
    public void protocolError(ProtocolError e) {
        if (stopped) {
            return;
        }
        stopped = true;
        connection.maybeOpen(true);
        connection.counters().protocolErrors.increment();
        connection.emit(new ProtocolErrorEvent(Instant.now(), connection.id(), direction, e.offset(), e.message()));
    }

    Greeting greeting() {
        return greeting;
    }

    String socketType() {
        return socketType;
    }

    long bytes() {
        return bytes;
    }

    long messages() {
        return messages;
    }
}
