package io.zmqtap.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.Direction;
import io.zmqtap.event.Frame;
import io.zmqtap.event.MessageEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/** Random multipart messages through every capture format and back: decode(encode(message)) is the message. */
class FeedFormatProperties {
    private static final String SOURCE = "tcp://127.0.0.1:7777";
    private static final Instant RECEIVED = Instant.parse("2026-11-26T10:15:02Z");

    @Property(tries = 300)
    void everyFormatGivesBackTheMessagesItWasGiven(@ForAll CaptureFormat format, @ForAll("prefixes") byte[][] prefixes,
                                                   @ForAll("feeds") List<MessageEvent> messages) {
        CaptureFrames frames = new CaptureFrames(format, prefixes[0], prefixes[1]);
        FeedDecoder given = new FeedDecoder(SOURCE, prefixes[0], prefixes[1], format);
        FeedDecoder detecting = new FeedDecoder(SOURCE, prefixes[0], prefixes[1]);
        long number = 0;
        for (MessageEvent m : messages) {
            List<byte[]> encoded = CaptureEncodings.encode(frames, m, 0);
            MessageEvent expected = expected(format, m, ++number);

            assertThat(given.decode(encoded, RECEIVED)).isEqualTo(expected);
            CaptureEvent detected = detecting.decode(encoded, RECEIVED);
            // a raw message that starts like a prefix is read as one when the format is detected
            if (format != CaptureFormat.RAW || !startsWithAPrefix(m, prefixes)) {
                assertThat(detected).isEqualTo(expected);
            }
        }
    }

    /** Only the envelope keeps the capture's time and number; RAW has no direction. */
    private static MessageEvent expected(CaptureFormat format, MessageEvent m, long number) {
        if (format == CaptureFormat.ENVELOPE) {
            return m;
        }
        Direction d = format == CaptureFormat.RAW ? Direction.UNKNOWN : m.direction();
        return new MessageEvent(RECEIVED, SOURCE, null, number, d, m.identity(), m.frames(), m.routed());
    }

    private static boolean startsWithAPrefix(MessageEvent m, byte[][] prefixes) {
        byte[] first = m.frames().get(0).data();
        return Arrays.equals(first, prefixes[0]) || Arrays.equals(first, prefixes[1]);
    }

    /** Two different prefixes, e.g. {@code in}/{@code out} or random bytes. */
    @Provide
    Arbitrary<byte[][]> prefixes() {
        Arbitrary<byte[]> prefix = Arbitraries.oneOf(
                Arbitraries.of("in", "out", "C2S", "S2C", "→").map(s -> s.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(8));
        return Combinators.combine(prefix, prefix).as((a, b) -> new byte[][] {a, b})
                .filter(p -> !Arrays.equals(p[0], p[1]));
    }

    /** A few messages of 1 to 6 frames: empty, short, binary, UTF-8 and long ones, routing ids and delimiters. */
    @Provide
    Arbitrary<List<MessageEvent>> feeds() {
        List<Tuple2<Integer, Arbitrary<byte[]>>> kinds = List.of(
                Tuple.of(3, Arbitraries.just(new byte[0])),
                Tuple.of(6, Arbitraries.bytes().array(byte[].class).ofMaxSize(12)),
                Tuple.of(3, Arbitraries.strings().ofMaxLength(12).map(s -> s.getBytes(StandardCharsets.UTF_8))),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMinSize(256).ofMaxSize(600)));
        Arbitrary<byte[]> frame = Arbitraries.frequencyOf(kinds);
        Arbitrary<MessageEvent> message = Combinators.combine(
                Arbitraries.of(Direction.IN, Direction.OUT),
                frame.list().ofMinSize(1).ofMaxSize(6),
                Arbitraries.longs().between(1, Long.MAX_VALUE / 2),
                Arbitraries.longs().between(0, 4_000_000_000_000_000_000L))
                .as(FeedFormatProperties::message)
                .filter(m -> !looksLikeASubscription(m));
        return message.list().ofMinSize(1).ofMaxSize(5);
    }

    private static MessageEvent message(Direction direction, List<byte[]> frames, long seq, long tsNanos) {
        List<Frame> parts = new ArrayList<>();
        for (byte[] f : frames) {
            parts.add(Frame.of(f));
        }
        boolean routed = parts.indexOf(Frame.EMPTY) > 0;
        return new MessageEvent(Instant.ofEpochSecond(0, tsNanos), SOURCE, null, seq, direction,
                routed ? parts.get(0) : null, parts, routed);
    }

    /**
     * A one-frame server-to-client message starting 0x00 or 0x01 is what a forwarder's upstream
     * subscription looks like in these formats, and is read as one (tested in {@link FeedFormatsTest}).
     */
    private static boolean looksLikeASubscription(MessageEvent m) {
        byte[] d = m.frames().get(0).data();
        return m.direction() == Direction.OUT && m.frames().size() == 1 && d.length > 0 && (d[0] == 0 || d[0] == 1);
    }

    @Property(tries = 200)
    void anyFramesDecodeToSomeEventWithoutThrowing(@ForAll("anyFrames") List<byte[]> frames) {
        CaptureEvent e = new FeedDecoder(SOURCE).decode(frames, RECEIVED);
        assertThat(e).isNotNull();
        for (CaptureFormat format : CaptureFormat.values()) {
            assertThat(new FeedDecoder(SOURCE, "in".getBytes(StandardCharsets.UTF_8), "out".getBytes(StandardCharsets.UTF_8), format).decode(frames, RECEIVED)).isNotNull();
        }
    }

    @Provide
    Arbitrary<List<byte[]>> anyFrames() {
        Arbitrary<byte[]> frame = Arbitraries.oneOf(Arbitraries.of("in", "out", "", "{\"ts_ns\":1,\"seq\":2}").map(s -> s.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(10));
        return frame.list().ofMaxSize(5);
    }
}
