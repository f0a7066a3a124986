package io.zmqtap.filter;

import io.zmqtap.event.CommandEvent;
import io.zmqtap.event.ConnectionEvent;
import io.zmqtap.event.Direction;
import io.zmqtap.event.Frame;
import io.zmqtap.event.HandshakeEvent;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.event.NoticeEvent;
import io.zmqtap.event.ProtocolErrorEvent;
import io.zmqtap.event.StatisticsEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Hand-made events for filter tests: a tap on {@link #TAP}, connection {@code c3} unless said otherwise. */
final class FilterEvents {
    static final Instant T0 = Instant.parse("2026-11-26T10:15:00Z");
    static final String TAP = "tcp://127.0.0.1:4444";

    private FilterEvents() {}

    /** A message on {@code conn}; frames given as text, or as {@code 0x…} for bytes. */
    static MessageEvent message(String conn, long seq, Direction dir, String identity, String... frames) {
        List<Frame> list = new ArrayList<>();
        for (String f : frames) {
            list.add(frame(f));
        }
        return new MessageEvent(T0, TAP, conn, seq, dir, identity == null ? null : frame(identity), list, false);
    }

    static MessageEvent message(Direction dir, String... frames) {
        return message("c3", 1, dir, null, frames);
    }

    static MessageEvent reply(long latencyNanos, String... frames) {
        return message("c3", 2, Direction.OUT, null, frames).withReply(1, latencyNanos);
    }

    static Frame frame(String f) {
        return f.startsWith("0x") ? Frame.of(java.util.HexFormat.of().parseHex(f.substring(2))) : Frame.of(f);
    }

    static CommandEvent command(String conn, Direction dir, String name, String topic) {
        return new CommandEvent(T0, TAP, conn, dir, name, topic == null ? null : Frame.of(topic), "");
    }

    static HandshakeEvent handshake(String conn, Direction dir, String socketType, String identity) {
        return new HandshakeEvent(T0, TAP, conn, dir, "3.1", "NULL", false, socketType,
                identity == null ? null : Frame.of(identity), Map.of());
    }

    static ConnectionEvent connection(String conn, ConnectionEvent.Kind kind, String client, String server) {
        return new ConnectionEvent(T0, TAP, conn, kind, "127.0.0.1:53122", "127.0.0.1:5555", client, server, "3.1",
                "NULL", 0, 0, 0, 0);
    }

    static NoticeEvent notice(String conn) {
        return new NoticeEvent(T0, TAP, conn, NoticeEvent.Level.WARNING, "capture loss");
    }

    static ProtocolErrorEvent protocolError(String conn, Direction dir) {
        return new ProtocolErrorEvent(T0, TAP, conn, dir, 0, "bad greeting signature");
    }

    static StatisticsEvent statistics() {
        return new StatisticsEvent(T0, TAP, null, true, Duration.ofSeconds(1), Map.of("messages", 1L), List.of(),
                List.of());
    }
}
