package io.zmqtap.event;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One event of every type, as docs/json.md shows them; {@link JsonSchemaDocTest} keeps the two equal. */
final class JsonSchemaSamples {
    private static final Instant T = Instant.parse("2026-11-30T10:15:02.481234567Z");
    private static final Frame AUTO_ID = Frame.of(new byte[] {0, 0x6b, (byte) 0x8b, 0x45, 0x67});

    private JsonSchemaSamples() {}

    /** Name (the heading in docs/json.md) to event. */
    static Map<String, CaptureEvent> all() {
        Map<String, CaptureEvent> m = new LinkedHashMap<>();
        String queue = "tcp://127.0.0.1:4444";
        m.put("request", new MessageEvent(T, queue, null, 16, Direction.IN, AUTO_ID,
                List.of(AUTO_ID, Frame.EMPTY, Frame.of("3")), true));
        m.put("reply", new MessageEvent(T.plusNanos(61_234), queue, null, 17, Direction.OUT, AUTO_ID,
                List.of(AUTO_ID, Frame.EMPTY, Frame.of("6")), true).withReply(16, 61_234));
        String tap = "tcp://127.0.0.1:5556";
        m.put("tap message", new MessageEvent(T, tap, "c1", 3, Direction.IN, Frame.of("client_a"),
                List.of(Frame.of("hop1"), Frame.EMPTY, Frame.of("café ✓")), false));
        m.put("truncated frame", new MessageEvent(T, tap, "c1", 4, Direction.IN, null,
                List.of(new Frame(new byte[] {(byte) 0xff, 0, 1, 2}, 1_048_576)), false));
        m.put("redacted request", Redaction.redact(new MessageEvent(T, queue, null, 16, Direction.IN, AUTO_ID,
                List.of(AUTO_ID, Frame.EMPTY, Frame.of("secret!")), true)));
        m.put("handshake", new HandshakeEvent(T, tap, "c1", Direction.IN, "3.1", "NULL", false, "DEALER",
                Frame.of("client_a"), Map.of("Resource", Frame.of("/orders"))));
        m.put("connection open", new ConnectionEvent(T, tap, "c1", ConnectionEvent.Kind.OPENED, "127.0.0.1:53122",
                "127.0.0.1:5555", "DEALER", "ROUTER", "3.1", "NULL", 0, 0, 0, 0));
        m.put("connection close", new ConnectionEvent(T, tap, "c1", ConnectionEvent.Kind.CLOSED, "127.0.0.1:53122",
                "127.0.0.1:5555", "DEALER", "ROUTER", "3.1", "NULL", 182, 170, 5, 5));
        m.put("command", new CommandEvent(T, tap, "c2", Direction.IN, "SUBSCRIBE", Frame.of("weather"),
                "(ZMTP 3.0 data frame)"));
        m.put("notice", new NoticeEvent(T, queue, null, NoticeEvent.Level.WARNING,
                "server 127.0.0.1:5555 left with 2 requests unanswered"));
        m.put("protocol error", new ProtocolErrorEvent(T, tap, "c3", Direction.IN, 0,
                "bad greeting signature at offset 0: expected 0xff, got 0x47"));
        m.put("statistics", new StatisticsEvent(T, queue, null, true, Duration.ofMillis(10_000),
                counters(), List.of(new StatisticsEvent.Peer("client", null, AUTO_ID, 5, 4, 30, 24,
                        new StatisticsEvent.Latency(4, 61_000, 80_000, 95_000, 95_000), Map.of()),
                        new StatisticsEvent.Peer("server", "127.0.0.1:5555", null, 5, 4, 30, 24,
                                StatisticsEvent.Latency.NONE, Map.of("unanswered", 1L))),
                List.of(new StatisticsEvent.Pending(null, AUTO_ID, 9, T.minusMillis(100)))));
        return m;
    }

    private static Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("messages", 9L);
        c.put("messages_in", 5L);
        c.put("messages_out", 4L);
        c.put("unanswered", 1L);
        c.put("events_dropped", 0L);
        return c;
    }
}
