package io.zmqtap.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.event.Direction;
import io.zmqtap.feed.FeedDecoder;
import io.zmqtap.event.Frame;
import io.zmqtap.event.FrameText;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.event.NoticeEvent;
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
        io.zmqtap.event.CommandEvent sub = (io.zmqtap.event.CommandEvent) decoder.decode(
                List.of("out".getBytes(), "\u0001weather".getBytes()), T);
        assertThat(sub.name()).isEqualTo("SUBSCRIBE");
        assertThat(sub.topic()).isEqualTo(Frame.of("weather"));
        io.zmqtap.event.CommandEvent cancel = (io.zmqtap.event.CommandEvent) decoder.decode(
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
        sink.accept(new MessageEvent(T, "feed", null, 1, Direction.IN, Frame.of(AUTO_ID),
                List.of(Frame.of(AUTO_ID), Frame.EMPTY, Frame.of("3")), true));
        sink.accept(new MessageEvent(T, "feed", null, 2, Direction.OUT, Frame.of("client_id_abc"),
                List.of(Frame.of("client_id_abc"), Frame.EMPTY, Frame.of("6")), true).withReply(1, 61_200));
        String[] lines = text.toString().split("\n");
        assertThat(lines[0]).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3}  in   0x006b8b4567      \\| \"3\"");
        assertThat(lines[1]).endsWith("  out  client_id_abc     | \"6\"  (reply in 61 µs)");
    }

    @Test
    void colourIsOnlyWrittenWhenAsked() {
        StringWriter text = new StringWriter();
        new ConsoleSink(new PrintWriter(text), Ansi.ON, 64, false)
                .accept(new MessageEvent(T, "feed", null, 1, Direction.IN, null, List.of(Frame.of("3")), false));
        assertThat(text.toString()).contains("\u001b[32min \u001b[0m");
        assertThat(Ansi.forMode("never").enabled()).isFalse();
        assertThat(Ansi.forMode("always").enabled()).isTrue();
    }

    @Test
    void jsonLinesCarryEveryField() {
        StringWriter text = new StringWriter();
        new JsonSink(new PrintWriter(text)).accept(new MessageEvent(T, "tcp://localhost:7777", null, 17, Direction.IN,
                Frame.of(AUTO_ID), List.of(Frame.of(AUTO_ID), Frame.EMPTY, Frame.of("3")), true));
        assertThat(text.toString().strip()).isEqualTo("{\"v\":1,\"type\":\"message\",\"ts\":\"2026-11-26T10:15:02.481234567Z\","
                + "\"source\":\"tcp://localhost:7777\",\"seq\":17,\"dir\":\"in\",\"identity\":\"0x006b8b4567\","
                + "\"frames\":[{\"hex\":\"006b8b4567\"},{\"text\":\"\"},{\"text\":\"3\"}],\"size\":6}");
    }

    @Test
    void everyJsonLineIsExactlyOneObjectWhateverCameBefore() {
        StringWriter text = new StringWriter();
        JsonSink sink = new JsonSink(new PrintWriter(text), false);
        for (int i = 0; i < 3; i++) { // one generator for every line: no separator may creep in between
            sink.accept(new NoticeEvent(T, "feed", null, NoticeEvent.Level.INFO, "n" + i));
        }
        sink.flush();
        assertThat(text.toString().split(System.lineSeparator())).hasSize(3)
                .allSatisfy(line -> assertThat(line).startsWith("{\"v\":1,").endsWith("}"));
    }

    @Test
    void printableUtf8IsTextAndTheRestHex() {
        assertThat(Frame.of("é ünïcødé ✓").isText()).isTrue();
        assertThat(Frame.of("café").toString()).isEqualTo("\"café\"");
        assertThat(Frame.of("two\nlines").isText()).isTrue();
        assertThat(Frame.of(new byte[] {(byte) 0xc3, 0x28}).isText()).as("malformed UTF-8").isFalse();
        assertThat(Frame.of(new byte[] {'a', 0}).isText()).as("a control character").isFalse();
        assertThat(Frame.of(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}).isText()).as("a lone surrogate").isFalse();
        byte[] cafe = "café".getBytes(java.nio.charset.StandardCharsets.UTF_8); // é is two bytes
        assertThat(new Frame(java.util.Arrays.copyOf(cafe, 4), 5).isText()).as("cut inside é by truncation").isTrue();
        assertThat(Frame.of(java.util.Arrays.copyOf(cafe, 4)).isText()).as("ends inside a character").isFalse();
        assertThat(FrameText.frame(Frame.of("a\tb\nc"), 64)).isEqualTo("\"a\\tb\\nc\"");
    }

    @Test
    void textViewsShowEveryFrameAndTheDelimiter() {
        assertThat(FrameText.message(msg(false, "hop1", "", "x"), 64)).isEqualTo("\"hop1\" | \"x\"");
        assertThat(FrameText.message(msg(false, "nodelim"), 64)).isEqualTo("\"nodelim\"");
        assertThat(FrameText.message(msg(false, "", "nodelim"), 64)).isEqualTo("| \"nodelim\"");
        // a ROUTER/ROUTER feed: the first routing id is the identity column, the second stays visible
        assertThat(FrameText.message(msg(true, "idA", "idB", "", "p"), 64)).isEqualTo("\"idB\" | \"p\"");
        assertThat(FrameText.message(msg(false, "a", "", "b", "", "c"), 64)).isEqualTo("\"a\" | \"b\" \"\" \"c\"");
        assertThat(FrameText.message(msg(false), 64)).isEqualTo("(empty message)");
        // JSON keeps them apart too
        assertThat(JsonSink.toJson(msg(false, "nodelim")).get("frames").toString()).isEqualTo("[{\"text\":\"nodelim\"}]");
        assertThat(JsonSink.toJson(msg(false, "", "nodelim")).get("frames").toString())
                .isEqualTo("[{\"text\":\"\"},{\"text\":\"nodelim\"}]");
    }

    @Test
    void aSummaryListsTheBusiestPeersAndCountsTheRest() {
        List<io.zmqtap.event.StatisticsEvent.Peer> peers = new java.util.ArrayList<>();
        for (int i = 1; i <= 25; i++) {
            peers.add(new io.zmqtap.event.StatisticsEvent.Peer("client", "c" + i, null, i, i, 0, 0,
                    io.zmqtap.event.StatisticsEvent.Latency.NONE, java.util.Map.of()));
        }
        String text = StatisticsText.lines(new io.zmqtap.event.StatisticsEvent(T, "file.pcap", null, true,
                java.time.Duration.ofSeconds(1), java.util.Map.of("messages", 650L), peers, List.of()), Ansi.OFF);
        List<String> lines = text.lines().toList();
        assertThat(lines).hasSize(1 + StatisticsText.MAX_PEERS + 1);
        assertThat(lines.get(1)).startsWith("  client c25 ");
        assertThat(lines.get(StatisticsText.MAX_PEERS)).startsWith("  client c6 ");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("  … and 5 more peers (all of them with --json)");
    }

    private static MessageEvent msg(boolean routed, String... frames) {
        List<Frame> f = java.util.Arrays.stream(frames).map(Frame::of).toList();
        return new MessageEvent(T, "feed", null, 1, Direction.IN, routed ? f.get(0) : null, f, routed);
    }
}
