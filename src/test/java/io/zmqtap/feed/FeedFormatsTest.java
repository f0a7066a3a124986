package io.zmqtap.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.CommandEvent;
import io.zmqtap.event.Direction;
import io.zmqtap.event.Frame;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.event.NoticeEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every capture format written by {@link CaptureFrames} and read back by {@link FeedDecoder} into the
 * same event: the decoder with the format given and detecting it. (RAW carries no direction: its
 * events come back with direction {@code UNKNOWN}.)
 */
class FeedFormatsTest {
    private static final String SOURCE = "tcp://127.0.0.1:7777";
    private static final Instant T = Instant.parse("2026-11-26T10:15:02.481234567Z");
    private static final byte[] IN = bytes("in");
    private static final byte[] OUT = bytes("out");
    private static final byte[] AUTO_ID = {0, 0x6b, (byte) 0x8b, 0x45, 0x67};

    @Test
    void aRouterDealerRequestAndItsReplyComeBackWithTheRoutingIdAsIdentity() {
        for (CaptureFormat format : CaptureFormat.values()) {
            roundTrip(format, IN, OUT, message(1, Direction.IN, AUTO_ID, new byte[0], bytes("3")));
            roundTrip(format, IN, OUT, message(1, Direction.OUT, AUTO_ID, new byte[0], bytes("6")));
            roundTrip(format, IN, OUT, message(1, Direction.IN, bytes("client_id_abc"), new byte[0], bytes("4"), bytes("x")));
        }
        MessageEvent request = message(1, Direction.IN, AUTO_ID, new byte[0], bytes("3"));
        assertThat(request.routed()).isTrue();
        assertThat(request.identity()).isEqualTo(Frame.of(AUTO_ID));
    }

    @Test
    void customPrefixesComeBack() {
        byte[] c2s = bytes("C2S");
        byte[] s2c = {(byte) 0xff, 0};
        for (CaptureFormat format : CaptureFormat.values()) {
            roundTrip(format, c2s, s2c, message(1, Direction.IN, AUTO_ID, new byte[0], bytes("3")));
            roundTrip(format, c2s, s2c, message(1, Direction.OUT, AUTO_ID, new byte[0], bytes("6")));
        }
    }

    @Test
    void routerRouterSwappedRoutingIdsAreFramesLikeAnyOther() {
        // pyzmq and zmqtap swap a ROUTER/ROUTER pair's first two frames: [to, from, "", body]
        for (CaptureFormat format : CaptureFormat.values()) {
            roundTrip(format, IN, OUT, message(1, Direction.IN, bytes("server_1"), bytes("client_a"), new byte[0],
                    bytes("ping")));
            roundTrip(format, IN, OUT, message(1, Direction.OUT, bytes("client_a"), bytes("server_1"), new byte[0],
                    bytes("pong")));
        }
    }

    @Test
    void messagesWithoutDelimiterEmptyFramesBinaryAndUtf8ComeBackWhole() {
        for (CaptureFormat format : CaptureFormat.values()) {
            roundTrip(format, IN, OUT, message(1, Direction.IN, bytes("no delimiter")));
            roundTrip(format, IN, OUT, message(1, Direction.IN, new byte[0], bytes("x"))); // delimiter first: not routed
            roundTrip(format, IN, OUT, message(1, Direction.OUT, new byte[0]));
            roundTrip(format, IN, OUT, message(1, Direction.IN, new byte[0], new byte[0], new byte[0]));
            roundTrip(format, IN, OUT, message(1, Direction.IN, AUTO_ID, new byte[0], new byte[] {0, 1, 2, (byte) 0xff}));
            roundTrip(format, IN, OUT, message(1, Direction.OUT, bytes("café"), new byte[0], bytes("é ünïcødé ✓")));
            roundTrip(format, IN, OUT, message(1, Direction.IN, AUTO_ID, new byte[0], new byte[300])); // a long frame
        }
        assertThat(message(1, Direction.IN, new byte[0], bytes("x")).routed()).isFalse();
        assertThat(message(1, Direction.IN, bytes("no delimiter")).identity()).isNull();
    }

    @Test
    void aForwardersUpstreamSubscriptionAndCancelComeBackAsCommands() {
        CommandEvent subscribe = new CommandEvent(T, SOURCE, null, Direction.OUT, "SUBSCRIBE", Frame.of("weather"),
                "forwarded upstream");
        CommandEvent cancel = new CommandEvent(T, SOURCE, null, Direction.OUT, "CANCEL", Frame.EMPTY, "forwarded upstream");
        for (CaptureFormat format : List.of(CaptureFormat.PREFIXED, CaptureFormat.ENVELOPE)) {
            CaptureFrames frames = new CaptureFrames(format, IN, OUT);
            assertThat(frames.encode(subscribe, 0)).last().isEqualTo(bytes("\u0001weather"));
            assertThat(frames.encode(cancel, 0)).last().isEqualTo(new byte[] {0});
            roundTrip(format, IN, OUT, subscribe);
            roundTrip(format, IN, OUT, cancel);
        }
        // without a direction a subscription is data like any other
        assertThat(decodeAll(new FeedDecoder(SOURCE, IN, OUT, CaptureFormat.RAW),
                new CaptureFrames(CaptureFormat.RAW, IN, OUT).encode(subscribe, 0)))
                .containsExactly(message(1, Direction.UNKNOWN, bytes("\u0001weather")));
        // and a request starting 0x01 is data, not a subscription
        assertThat(new FeedDecoder(SOURCE).decode(List.of(IN, new byte[] {1, 2}), T)).isInstanceOf(MessageEvent.class);
    }

    @Test
    void theEnvelopeFeedShowsTheRealIdentityNotTheMetadata() {
        // watch used to print: in   {"ts_ns":…,"seq":1,"dropped":0}  "0"
        byte[] metadata = bytes("{\"ts_ns\":1764151502481234000,\"direction\":\"in\",\"seq\":1,\"dropped\":0}");
        CaptureEvent e = new FeedDecoder(SOURCE).decode(List.of(IN, metadata, AUTO_ID, new byte[0], bytes("0")), T);

        assertThat(e).isEqualTo(new MessageEvent(Instant.parse("2025-11-26T10:05:02.481234Z"), SOURCE, null, 1,
                Direction.IN, Frame.of(AUTO_ID), List.of(Frame.of(AUTO_ID), Frame.EMPTY, Frame.of("0")), true));
    }

    @Test
    void envelopeMetadataGivesTimeAndSeqAndNumberingElseStartsAtOne() {
        FeedDecoder decoder = new FeedDecoder(SOURCE);
        CaptureFrames envelope = new CaptureFrames(CaptureFormat.ENVELOPE, IN, OUT);
        CaptureFrames prefixed = new CaptureFrames(CaptureFormat.PREFIXED, IN, OUT);
        MessageEvent seventeen = message(17, Direction.IN, AUTO_ID, new byte[0], bytes("3"));
        Instant received = T.plusSeconds(1);

        // one decoder, the feed restarted in another format between messages
        assertThat(decoder.decode(envelope.encode(seventeen, 0), received)).isEqualTo(seventeen);
        assertThat(decoder.decode(prefixed.encode(seventeen, 0), received))
                .isEqualTo(at(received, message(1, Direction.IN, AUTO_ID, new byte[0], bytes("3"))));
        assertThat(decoder.decode(List.of(AUTO_ID, new byte[0], bytes("4")), received))
                .isEqualTo(at(received, message(2, Direction.UNKNOWN, AUTO_ID, new byte[0], bytes("4"))));
    }

    @Test
    void capturesTheQueueLostBecomeANoticeBeforeTheMessage() {
        FeedDecoder decoder = new FeedDecoder(SOURCE);
        CaptureFrames envelope = new CaptureFrames(CaptureFormat.ENVELOPE, IN, OUT);
        MessageEvent first = message(1, Direction.IN, AUTO_ID, new byte[0], bytes("1"));
        MessageEvent fifth = message(5, Direction.IN, AUTO_ID, new byte[0], bytes("5"));
        MessageEvent restarted = message(1, Direction.IN, AUTO_ID, new byte[0], bytes("1"));

        assertThat(decodeAll(decoder, envelope.encode(first, 2))).containsExactly(first); // lost before we joined
        assertThat(decodeAll(decoder, envelope.encode(fifth, 5))).containsExactly(
                new NoticeEvent(T, SOURCE, NoticeEvent.Level.WARNING,
                        "the queue dropped 3 capture messages before #5 (5 in all): a capture subscriber could not keep up"),
                fifth);
        assertThat(decoder.feedDropped()).isEqualTo(5);
        assertThat(decodeAll(decoder, envelope.encode(restarted, 0))).containsExactly(restarted);
        assertThat(decoder.feedDropped()).isZero();
    }

    @Test
    void envelopeMetadataWithAPrefixNotKnownGivesTheDirection() {
        CaptureFrames c2s = new CaptureFrames(CaptureFormat.ENVELOPE, bytes("C2S"), bytes("S2C"));
        MessageEvent reply = message(2, Direction.OUT, AUTO_ID, new byte[0], bytes("6"));
        assertThat(new FeedDecoder(SOURCE).decode(c2s.encode(reply, 0), T)).isEqualTo(reply);
    }

    @Test
    void aFixedFormatReadsByPosition() {
        List<byte[]> startsLikeAPrefix = List.of(IN, new byte[0], bytes("x"));
        assertThat(new FeedDecoder(SOURCE, IN, OUT, CaptureFormat.RAW).decode(startsLikeAPrefix, T))
                .isEqualTo(message(1, Direction.UNKNOWN, IN, new byte[0], bytes("x")));
        assertThat(new FeedDecoder(SOURCE).decode(startsLikeAPrefix, T))
                .isEqualTo(message(1, Direction.IN, new byte[0], bytes("x")));
        assertThat(new FeedDecoder(SOURCE, IN, OUT, CaptureFormat.PREFIXED).decode(List.of(bytes("C2S"), bytes("3")), T))
                .isEqualTo(message(1, Direction.UNKNOWN, bytes("3")));
        assertThat(new FeedDecoder(SOURCE, IN, OUT, CaptureFormat.ENVELOPE).decode(List.of(IN, bytes("3")), T))
                .isEqualTo(message(1, Direction.IN)); // the second frame is taken as metadata it is not
        assertThat(new FeedDecoder(SOURCE, IN, OUT, CaptureFormat.ENVELOPE).decode(List.of(IN), T))
                .isEqualTo(new NoticeEvent(T, SOURCE, NoticeEvent.Level.WARNING,
                        "feed message with 1 frame: expected [prefix, metadata, frames…] (--format envelope)"));
        assertThat(new FeedDecoder(SOURCE).decode(List.of(), T))
                .isEqualTo(new NoticeEvent(T, SOURCE, NoticeEvent.Level.WARNING, "empty feed message"));
    }

    /** decode(encode(event)) is event, with the format given and detected, every way the proxy encodes. */
    private static void roundTrip(CaptureFormat format, byte[] in, byte[] out, CaptureEvent event) {
        CaptureFrames frames = new CaptureFrames(format, in, out);
        List<byte[]> encoded = CaptureEncodings.encode(frames, event, 0);
        CaptureEvent expected = format == CaptureFormat.RAW && event instanceof MessageEvent m ? unknown(m) : event;
        assertThat(new FeedDecoder(SOURCE, in, out, format).decode(encoded, T)).as("%s given", format).isEqualTo(expected);
        assertThat(new FeedDecoder(SOURCE, in, out).decode(encoded, T)).as("%s detected", format).isEqualTo(expected);
    }

    private static List<CaptureEvent> decodeAll(FeedDecoder decoder, List<byte[]> frames) {
        List<CaptureEvent> events = new ArrayList<>();
        decoder.decode(frames, T, events::add);
        return events;
    }

    /** A message as the decoder makes it: routed when a routing id comes first and a delimiter later. */
    static MessageEvent message(long seq, Direction direction, byte[]... frames) {
        List<Frame> parts = Arrays.stream(frames).map(Frame::of).toList();
        int delimiter = parts.indexOf(Frame.EMPTY);
        boolean routed = delimiter > 0;
        return new MessageEvent(T, SOURCE, null, seq, direction, routed ? parts.get(0) : null, parts, routed);
    }

    private static MessageEvent unknown(MessageEvent m) {
        return new MessageEvent(m.time(), m.source(), m.conn(), m.seq(), Direction.UNKNOWN, m.identity(), m.frames(),
                m.routed());
    }

    private static MessageEvent at(Instant time, MessageEvent m) {
        return new MessageEvent(time, m.source(), m.conn(), m.seq(), m.direction(), m.identity(), m.frames(), m.routed());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
