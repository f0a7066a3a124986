package io.zmqtap.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Redaction}: sizes, structure and routing ids stay; payloads and topics keep only their size. */
class RedactionTest {
    private static final Instant T = Instant.parse("2026-11-26T10:15:02Z");

    @Test
    void aRoutedMessageKeepsItsRoutingIdsAndDelimiterAndMasksItsBody() {
        Frame rid = Frame.of(new byte[] {0, 0x6b, (byte) 0x8b, 0x45, 0x67});
        MessageEvent m = new MessageEvent(T, "proxy", null, 3, Direction.IN, rid,
                List.of(rid, Frame.of("hop1"), Frame.EMPTY, Frame.of("secret body"), Frame.of("more secret")), true);
        MessageEvent r = (MessageEvent) Redaction.redact(m);
        assertThat(r.frames()).hasSize(5);
        assertThat(r.frames().subList(0, 3)).containsExactly(rid, Frame.of("hop1"), Frame.EMPTY);
        assertThat(r.frames().get(3).isRedacted()).isTrue();
        assertThat(r.frames().get(3).size()).isEqualTo(11);
        assertThat(r.frames().get(3).data()).isEmpty();
        assertThat(r.frames().get(4).size()).isEqualTo(11);
        assertThat(r.identity()).isEqualTo(rid);
        assertThat(r.size()).isEqualTo(m.size());
        assertThat(r.delimiter()).isEqualTo(2);
        assertThat(FrameText.message(r, 64)).isEqualTo("\"hop1\" | (redacted 11 B) (redacted 11 B)");
    }

    @Test
    void aMessageWithoutARoutedFrameIsMaskedAllButItsEmptyFrames() {
        MessageEvent m = new MessageEvent(T, "tap", "c1", 1, Direction.OUT, Frame.of("client"),
                List.of(Frame.of("weather.secret"), Frame.EMPTY, Frame.of("22C")), false);
        MessageEvent r = (MessageEvent) Redaction.redact(m);
        assertThat(r.frames()).extracting(Frame::isRedacted).containsExactly(true, false, true);
        assertThat(r.frames()).extracting(Frame::size).containsExactly(14L, 0L, 3L);
        assertThat(r.identity()).isEqualTo(Frame.of("client"));
        assertThat(EventJson.toJson(r).get("frames").toString())
                .isEqualTo("[{\"redacted\":true,\"size\":14},{\"text\":\"\"},{\"redacted\":true,\"size\":3}]");
    }

    @Test
    void aSubscriptionTopicKeepsOnlyItsSizeAndOtherEventsPassUnchanged() {
        CommandEvent sub = new CommandEvent(T, "tap", "c1", Direction.IN, "SUBSCRIBE", Frame.of("acct-4711"), "");
        CommandEvent r = (CommandEvent) Redaction.redact(sub);
        assertThat(r.topic().isRedacted()).isTrue();
        assertThat(r.topic().size()).isEqualTo(9);
        assertThat(EventJson.toJson(r).toString()).doesNotContain("acct").contains("\"topic\":{\"redacted\":true,\"size\":9}");
        NoticeEvent n = new NoticeEvent(T, "tap", NoticeEvent.Level.WARNING, "peer lost");
        assertThat(Redaction.redact(n)).isSameAs(n);
        assertThat(Redaction.redact(r)).isEqualTo(r);
    }

    @Test
    void aRedactedFrameIsNotATruncatedOne() {
        Frame cut = new Frame(new byte[0], 12); // --snap 0
        assertThat(cut.isRedacted()).isFalse();
        assertThat(Frame.redacted(12).isRedacted()).isTrue();
        assertThat(Frame.redacted(0)).isSameAs(Frame.EMPTY);
        assertThat(FrameText.frame(Frame.redacted(12), 64)).isEqualTo("(redacted 12 B)");
        assertThat(FrameText.frame(cut, 64)).isEqualTo("\"\"…(12 B)");
    }

    @Test
    void framesWithoutKnownRoutingIdsKeepOnlyTheirEmptyFramesAndSizes() {
        List<Frame> masked = Redaction.frames(List.of(Frame.EMPTY, Frame.of("42"), Frame.redacted(3)));
        assertThat(masked).containsExactly(Frame.EMPTY, Frame.redacted(2), Frame.redacted(3));
        assertThat(masked.get(1).isRedacted()).isTrue();
    }
}
