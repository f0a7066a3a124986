package io.zmqtap.replay;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.Direction;
import io.zmqtap.event.Frame;
import io.zmqtap.event.HandshakeEvent;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.sink.CaptureFileSink;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Hand-made recordings, as a tap would have recorded them: handshakes, requests and paired replies. */
public final class Recordings {
    public static final String SOURCE = "tcp://127.0.0.1:5556";
    public static final Instant T0 = Instant.parse("2026-01-02T10:00:00Z");

    private final List<CaptureEvent> events = new ArrayList<>();
    private long seq;

    public List<CaptureEvent> events() {
        return List.copyOf(events);
    }

    /** The client's half of the handshake on {@code conn}. */
    public Recordings handshake(String conn, String socketType, String identity) {
        events.add(new HandshakeEvent(T0, SOURCE, conn, Direction.IN, "3.1", "NULL", false, socketType,
                identity == null ? null : Frame.of(identity), Map.of()));
        return this;
    }

    /** A request at {@code T0 + millis}; returns its seq. */
    public long request(String conn, long millis, String identity, String... frames) {
        long s = ++seq;
        events.add(new MessageEvent(T0.plusMillis(millis), SOURCE, conn, s, Direction.IN,
                identity == null ? null : Frame.of(identity), frames(frames), false));
        return s;
    }

    /** The reply to request {@code to} (0: unpaired). */
    public Recordings reply(String conn, long to, long millis, String identity, String... frames) {
        MessageEvent m = new MessageEvent(T0.plusMillis(millis), SOURCE, conn, ++seq, Direction.OUT,
                identity == null ? null : Frame.of(identity), frames(frames), false);
        events.add(to > 0 ? m.withReply(to, 100_000) : m);
        return this;
    }

    /** A REQ client on {@code conn} asking each number, one every {@code gapMillis}, recorded replies as given. */
    public Recordings reqSession(String conn, long gapMillis, List<String> requests, List<String> replies) {
        handshake(conn, "REQ", null);
        for (int i = 0; i < requests.size(); i++) {
            long s = request(conn, i * gapMillis, null, "", requests.get(i));
            reply(conn, s, i * gapMillis + 1, null, "", replies.get(i));
        }
        return this;
    }

    public Path writeTo(Path file) {
        try (CaptureFileSink sink = CaptureFileSink.to(file).flushTimer(false).open()) {
            events.forEach(sink::accept);
        }
        return file;
    }

    static List<Frame> frames(String... frames) {
        return Arrays.stream(frames).map(Frame::of).toList();
    }
}
