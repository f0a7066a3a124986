package io.zmqtap.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.capture.Direction;
import io.zmqtap.capture.FeedDecoder;
import io.zmqtap.capture.Frame;
import io.zmqtap.capture.MessageEvent;
import io.zmqtap.capture.NoticeEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FormattingTest {
    private static final byte[] AUTO_ID = {0x00, 0x6b, (byte) 0x8b, 0x45, 0x67};
    private static final Instant T = Instant.parse("2026-11-26T10:15:02.481234567Z");

    @Test
    void pythonReprMatchesWhatPyzmqPrints() {
        // print([b'in', b'\x00k\x8bEg', b'', b'0']) in Python 3
        assertThat(PythonBytes.list(List.of("in".getBytes(), AUTO_ID, new byte[0], "0".getBytes())))
                .isEqualTo("[b'in', b'\\x00k\\x8bEg', b'', b'0']");
        assertThat(PythonBytes.repr("it's".getBytes())).isEqualTo("b\"it's\"");
        assertThat(PythonBytes.repr("a'b\"c\\\n\t\r".getBytes())).isEqualTo("b'a\\'b\"c\\\\\\n\\t\\r'");
        assertThat(PythonBytes.repr(new byte[] {0x7f, (byte) 0xff})).isEqualTo("b'\\x7f\\xff'");
    }

    @Test
    void identitiesAreTextWhenPrintableElseHex() {
        assertThat(FrameText.identity(Frame.of("client_id_abc"))).isEqualTo("client_id_abc");
        assertThat(FrameText.identity(Frame.of(AUTO_ID))).isEqualTo("0x006b8b4567");
        assertThat(FrameText.identity(null)).isEqualTo("-");
    }

    @Test
    void longFramesAreCutAndShowTheirSize() {
        assertThat(FrameText.frame(Frame.of("abcdef"), 3)).isEqualTo("\"abc\"…(6 B)");
        assertThat(FrameText.frame(new Frame(new byte[] {1, 2}, 1000), 64)).isEqualTo("0x0102…(1000 B)");
        assertThat(FrameText.frames(List.of(Frame.of("a"), Frame.EMPTY, Frame.of(new byte[] {-1})), 64))
                .isEqualTo("\"a\" \"\" 0xff");
    }

    @Test
    void feedMessagesDecodeIntoDirectionIdentityAndBody() {
        FeedDecoder decoder = new FeedDecoder("feed");
        MessageEvent in = (MessageEvent) decoder.decode(
                List.of("in".getBytes(), AUTO_ID, new byte[0], "3".getBytes()), T);
        assertThat(in.direction()).isEqualTo(Direction.IN);
        assertThat(in.identity()).isEqualTo(Frame.of(AUTO_ID));
        assertThat(in.envelope()).containsExactly(Frame.of(AUTO_ID));
        assertThat(in.body()).containsExactly(Frame.of("3"));

        MessageEvent out = (MessageEvent) decoder.decode(
                List.of("out".getBytes(), "client_id_abc".getBytes(), new byte[0], "6".getBytes(), "x".getBytes()), T);
        assertThat(out.direction()).isEqualTo(Direction.OUT);
        assertThat(out.body()).containsExactly(Frame.of("6"), Frame.of("x"));
    }

    @Test
    void forwardedSubscriptionsAreDecodedAsCommands() {
        FeedDecoder decoder = new FeedDecoder("feed");
        io.zmqtap.capture.CommandEvent sub = (io.zmqtap.capture.CommandEvent) decoder.decode(
                List.of("out".getBytes(), "\u0001weather".getBytes()), T);
        assertThat(sub.name()).isEqualTo("SUBSCRIBE");
        assertThat(sub.topic()).isEqualTo(Frame.of("weather"));
        io.zmqtap.capture.CommandEvent cancel = (io.zmqtap.capture.CommandEvent) decoder.decode(
                List.of("out".getBytes(), new byte[] {0}), T);
        assertThat(cancel.name()).isEqualTo("CANCEL");
        assertThat(cancel.topic()).isEqualTo(Frame.EMPTY);
        // a request starting 0x01 is data, not a subscription
        assertThat(decoder.decode(List.of("in".getBytes(), new byte[] {1, 2}), T)).isInstanceOf(MessageEvent.class);
    }

    @Test
    void feedMessagesWithoutAKnownPrefixAreRawCaptures() {
        MessageEvent raw = (MessageEvent) new FeedDecoder("feed").decode(
                List.of(AUTO_ID, new byte[0], "3".getBytes()), T);
        assertThat(raw.direction()).isEqualTo(Direction.UNKNOWN);
        assertThat(raw.identity()).isEqualTo(Frame.of(AUTO_ID));
        assertThat(raw.body()).containsExactly(Frame.of("3"));
        assertThat(new FeedDecoder("feed").decode(List.of(), T)).isInstanceOf(NoticeEvent.class);
    }

    @Test
    void consoleLinesShowTimeDirectionIdentityAndFrames() {
        StringWriter text = new StringWriter();
        ConsoleSink sink = new ConsoleSink(new PrintWriter(text), Ansi.OFF, 64, false);
        sink.accept(new MessageEvent(T, "feed", Direction.IN, Frame.of(AUTO_ID), List.of(Frame.of(AUTO_ID)),
                List.of(Frame.of("3"))));
        sink.accept(new MessageEvent(T, "feed", Direction.OUT, Frame.of("client_id_abc"), List.of(), List.of(Frame.of("6"))));
        String[] lines = text.toString().split("\n");
        assertThat(lines[0]).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3}  in   0x006b8b4567      \"3\"");
        assertThat(lines[1]).endsWith("  out  client_id_abc     \"6\"");
    }

    @Test
    void colourIsOnlyWrittenWhenAsked() {
        StringWriter text = new StringWriter();
        new ConsoleSink(new PrintWriter(text), Ansi.ON, 64, false)
                .accept(new MessageEvent(T, "feed", Direction.IN, null, List.of(), List.of(Frame.of("3"))));
        assertThat(text.toString()).contains("\u001b[32min \u001b[0m");
        assertThat(Ansi.forMode("never").enabled()).isFalse();
        assertThat(Ansi.forMode("always").enabled()).isTrue();
    }

    @Test
    void jsonLinesCarryEveryField() {
        StringWriter text = new StringWriter();
        new JsonSink(new PrintWriter(text)).accept(new MessageEvent(T, "tcp://localhost:7777", Direction.IN,
                Frame.of(AUTO_ID), List.of(Frame.of(AUTO_ID)), List.of(Frame.of("3"))));
        assertThat(text.toString().strip()).isEqualTo("{\"type\":\"message\",\"time\":\"2026-11-26T10:15:02.481234567Z\","
                + "\"source\":\"tcp://localhost:7777\",\"direction\":\"in\",\"identity\":{\"size\":5,\"hex\":\"006b8b4567\"},"
                + "\"envelope\":[{\"size\":5,\"hex\":\"006b8b4567\"}],\"body\":[{\"size\":1,\"text\":\"3\"}],\"bytes\":6}");
    }
}
