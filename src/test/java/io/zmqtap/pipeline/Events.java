package io.zmqtap.pipeline;

import io.zmqtap.event.ConnectionEvent;
import io.zmqtap.event.Direction;
import io.zmqtap.event.Frame;
import io.zmqtap.event.HandshakeEvent;
import io.zmqtap.event.MessageEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Events as the sources make them, at microsecond times after a fixed instant. */
final class Events {
    static final Instant T0 = Instant.parse("2026-11-26T10:15:00Z");
    static final String QUEUE = "tcp://127.0.0.1:7777";
    static final String TAP = "tcp://127.0.0.1:4444";

    private Events() {}

    static Instant at(long micros) {
        return T0.plusNanos(micros * 1000);
    }

    /** A message through a queue's ROUTER: frames[0] is the routing id {@code id}. */
    static MessageEvent routed(long seq, long micros, Direction dir, String id, String... rest) {
        List<Frame> frames = new ArrayList<>();
        frames.add(Frame.of(id));
        for (String f : rest) {
            frames.add(Frame.of(f));
        }
        return new MessageEvent(at(micros), QUEUE, null, seq, dir, Frame.of(id), frames, true);
    }

    /** A message on a tap connection, without a routing id. */
    static MessageEvent onConn(String conn, long seq, long micros, Direction dir, String... frames) {
        List<Frame> list = new ArrayList<>();
        for (String f : frames) {
            list.add(Frame.of(f));
        }
        return new MessageEvent(at(micros), TAP, conn, seq, dir, null, list, false);
    }

    /** One peer's handshake on a tap connection, {@code IN} the client's. */
    static HandshakeEvent handshake(String conn, Direction dir, String socketType) {
        return new HandshakeEvent(T0, TAP, conn, dir, "3.1", "NULL", false, socketType, null, Map.of());
    }

    static ConnectionEvent closed(String conn) {
        return new ConnectionEvent(T0, TAP, conn, ConnectionEvent.Kind.CLOSED, "127.0.0.1:5000", "127.0.0.1:5555",
                null, null, "3.1", "NULL", 0, 0, 0, 0);
    }
}
