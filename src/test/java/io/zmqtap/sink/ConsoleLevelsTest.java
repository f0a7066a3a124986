package io.zmqtap.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.CommandEvent;
import io.zmqtap.event.ConnectionEvent;
import io.zmqtap.event.Direction;
import io.zmqtap.event.Frame;
import io.zmqtap.event.HandshakeEvent;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.event.NoticeEvent;
import io.zmqtap.event.ProtocolErrorEvent;
import io.zmqtap.event.TimeText;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Each console detail level, time mode and the hexdump on one fixed conversation: a REQ's
 * handshake and connection, a request and its reply, a routed message from a ROUTER with a long
 * binary frame on connection c10, a subscription on c2, a notice and the close. Times are UTC
 * ({@code --time iso}) where the level is what is tested, so the expected text is the same in every
 * time zone.
 */
class ConsoleLevelsTest {
    private static final Instant T = Instant.parse("2026-11-26T10:15:02.481234567Z");
    private static final byte[] AUTO_ID = {0x00, 0x6b, (byte) 0x8b, 0x45, 0x67};
    private static final byte[] BINARY = new byte[20];

    static {
        for (int i = 0; i < BINARY.length; i++) {
            BINARY[i] = (byte) (0xf0 + i);
        }
    }

    private static final List<CaptureEvent> CONVERSATION = List.of(
            new HandshakeEvent(T, "tap", "c1", Direction.IN, "3.1", "NULL", false, "REQ", Frame.of("client_id_abc"), Map.of()),
            new ConnectionEvent(T, "tap", "c1", ConnectionEvent.Kind.OPENED, "127.0.0.1:53122", "127.0.0.1:5555",
                    "REQ", "REP", "3.1", "NULL", 0, 0, 0, 0),
            new MessageEvent(at(130_412), "tap", "c1", 1, Direction.IN, Frame.of("client_id_abc"),
                    List.of(Frame.EMPTY, Frame.of("3")), false),
            new MessageEvent(at(542_824), "tap", "c1", 2, Direction.OUT, Frame.of("client_id_abc"),
                    List.of(Frame.EMPTY, Frame.of("6")), false).withReply(1, 412_412),
            new MessageEvent(at(1_000_000), "tap", "c10", 1, Direction.IN, Frame.of(AUTO_ID),
                    List.of(Frame.of(AUTO_ID), Frame.EMPTY, Frame.of("the weather in Paris"), Frame.of(BINARY)), true),
            new CommandEvent(at(12_003_104_000L), "tap", "c2", Direction.IN, "SUBSCRIBE", Frame.of("weather"), ""),
            new NoticeEvent(at(12_003_104_000L), "tap", null, NoticeEvent.Level.WARNING, "c2 is slow"),
            new ConnectionEvent(at(12_500_000_000L), "tap", "c1", ConnectionEvent.Kind.CLOSED, "127.0.0.1:53122",
                    "127.0.0.1:5555", "REQ", "REP", "3.1", "NULL", 9, 9, 1, 1));

    private static Instant at(long nanosAfterT) {
        return T.plusNanos(nanosAfterT);
    }

    /** The conversation through a sink {@code options} made: tap-style (connections shown), UTC times, 16 bytes a frame. */
    private static String print(List<CaptureEvent> events, UnaryOperator<ConsoleSink.Builder> options) {
        StringWriter text = new StringWriter();
        ConsoleSink sink = options.apply(ConsoleSink.builder(new PrintWriter(text)).showSource(true).maxBytes(16)
                .time(TimeColumn.Mode.ISO)).build();
        events.forEach(sink::accept);
        sink.close();
        return text.toString().replace(System.lineSeparator(), "\n");
    }

    private static String print(UnaryOperator<ConsoleSink.Builder> options) {
        return print(CONVERSATION, options);
    }

    @Test
    void summaryPrintsOnlyNoticesErrorsAndStatistics() {
        assertThat(print(b -> b.detail(Detail.SUMMARY))).isEqualTo(
                "2026-11-26T10:15:14.484338567Z  ! c2 is slow\n");
    }

    @Test
    void messagesShowFrameCountsAndSizesButNoPayload() {
        assertThat(print(b -> b.detail(Detail.MESSAGES))).isEqualTo(""
                + "2026-11-26T10:15:02.481234567Z  c1  in   ready  REQ  ZMTP 3.1 NULL  identity client_id_abc\n"
                + "2026-11-26T10:15:02.481234567Z  c1  open   127.0.0.1:53122 -> 127.0.0.1:5555  REQ -> REP  ZMTP 3.1 NULL\n"
                + "2026-11-26T10:15:02.481364979Z  c1  in   client_id_abc     2 frames  1 B  [0 1]\n"
                + "2026-11-26T10:15:02.481777391Z  c1  out  client_id_abc     2 frames  1 B  [0 1]  (reply in 412 µs)\n"
                + "2026-11-26T10:15:02.482234567Z  c10  in   0x006b8b4567      4 frames  45 B  [5 0 20 20]\n"
                + "2026-11-26T10:15:14.484338567Z  c2   in   SUBSCRIBE \"weather\"\n"
                + "2026-11-26T10:15:14.484338567Z  ! c2 is slow\n"
                + "2026-11-26T10:15:14.981234567Z  c1   close  127.0.0.1:53122 -> 127.0.0.1:5555  REQ -> REP  ZMTP 3.1 NULL"
                + "  in 1 msgs 9 B  out 1 msgs 9 B\n");
    }

    @Test
    void framesIsTodaysLineWithPayloadsCutAtMaxBytes() {
        assertThat(print(b -> b)).isEqualTo(print(b -> b.detail(Detail.FRAMES))).isEqualTo(""
                + "2026-11-26T10:15:02.481234567Z  c1  in   ready  REQ  ZMTP 3.1 NULL  identity client_id_abc\n"
                + "2026-11-26T10:15:02.481234567Z  c1  open   127.0.0.1:53122 -> 127.0.0.1:5555  REQ -> REP  ZMTP 3.1 NULL\n"
                + "2026-11-26T10:15:02.481364979Z  c1  in   client_id_abc     | \"3\"\n"
                + "2026-11-26T10:15:02.481777391Z  c1  out  client_id_abc     | \"6\"  (reply in 412 µs)\n"
                + "2026-11-26T10:15:02.482234567Z  c10  in   0x006b8b4567      | \"the weather in P\"…(20 B)"
                + " 0xf0f1f2f3f4f5f6f7f8f9fafbfcfdfeff…(20 B)\n"
                + "2026-11-26T10:15:14.484338567Z  c2   in   SUBSCRIBE \"weather\"\n"
                + "2026-11-26T10:15:14.484338567Z  ! c2 is slow\n"
                + "2026-11-26T10:15:14.981234567Z  c1   close  127.0.0.1:53122 -> 127.0.0.1:5555  REQ -> REP  ZMTP 3.1 NULL"
                + "  in 1 msgs 9 B  out 1 msgs 9 B\n");
    }

    @Test
    void fullShowsEveryFrameWholeOnItsOwnLineWithTheMoreFlag() {
        assertThat(print(b -> b.detail(Detail.FULL))).isEqualTo(""
                + "2026-11-26T10:15:02.481234567Z  c1  in   ready  REQ  ZMTP 3.1 NULL  identity client_id_abc\n"
                + "2026-11-26T10:15:02.481234567Z  c1  open   127.0.0.1:53122 -> 127.0.0.1:5555  REQ -> REP  ZMTP 3.1 NULL\n"
                + "2026-11-26T10:15:02.481364979Z  c1  in   client_id_abc     2 frames  1 B  [0 1]\n"
                + "    frame 1/2  more  0 B  |\n"
                + "    frame 2/2  last  1 B  \"3\"\n"
                + "2026-11-26T10:15:02.481777391Z  c1  out  client_id_abc     2 frames  1 B  [0 1]  (reply in 412 µs)\n"
                + "    frame 1/2  more  0 B  |\n"
                + "    frame 2/2  last  1 B  \"6\"\n"
                + "2026-11-26T10:15:02.482234567Z  c10  in   0x006b8b4567      4 frames  45 B  [5 0 20 20]\n"
                + "    frame 1/4  more   5 B  0x006b8b4567  (routing id)\n"
                + "    frame 2/4  more   0 B  |\n"
                + "    frame 3/4  more  20 B  \"the weather in Paris\"\n"
                + "    frame 4/4  last  20 B  0xf0f1f2f3f4f5f6f7f8f9fafbfcfdfeff00010203\n"
                + "2026-11-26T10:15:14.484338567Z  c2   in   SUBSCRIBE \"weather\"\n"
                + "2026-11-26T10:15:14.484338567Z  ! c2 is slow\n"
                + "2026-11-26T10:15:14.981234567Z  c1   close  127.0.0.1:53122 -> 127.0.0.1:5555  REQ -> REP  ZMTP 3.1 NULL"
                + "  in 1 msgs 9 B  out 1 msgs 9 B\n");
    }

    @Test
    void hexDumpsEveryFrameUnderTheMessageLineUpToMaxBytes() {
        MessageEvent routed = (MessageEvent) CONVERSATION.get(4);
        assertThat(print(List.of(routed), b -> b.hex(true))).isEqualTo(""
                + "2026-11-26T10:15:02.482234567Z  c10  in   0x006b8b4567      | \"the weather in P\"…(20 B)"
                + " 0xf0f1f2f3f4f5f6f7f8f9fafbfcfdfeff…(20 B)\n"
                + "    frame 1/4  more   5 B  (routing id)\n"
                + "      0000  00 6b 8b 45 67                                    |.k.Eg|\n"
                + "    frame 2/4  more   0 B\n"
                + "    frame 3/4  more  20 B\n"
                + "      0000  74 68 65 20 77 65 61 74  68 65 72 20 69 6e 20 50  |the weather in P|\n"
                + "      …(20 B, 16 shown)\n"
                + "    frame 4/4  last  20 B\n"
                + "      0000  f0 f1 f2 f3 f4 f5 f6 f7  f8 f9 fa fb fc fd fe ff  |................|\n"
                + "      …(20 B, 16 shown)\n");
    }

    @Test
    void hexWithFullDumpsEveryByteAndKeepsThePayloadLines() {
        MessageEvent routed = (MessageEvent) CONVERSATION.get(4);
        assertThat(print(List.of(routed), b -> b.hex(true).detail(Detail.FULL))).isEqualTo(""
                + "2026-11-26T10:15:02.482234567Z  c10  in   0x006b8b4567      4 frames  45 B  [5 0 20 20]\n"
                + "    frame 1/4  more   5 B  0x006b8b4567  (routing id)\n"
                + "      0000  00 6b 8b 45 67                                    |.k.Eg|\n"
                + "    frame 2/4  more   0 B  |\n"
                + "    frame 3/4  more  20 B  \"the weather in Paris\"\n"
                + "      0000  74 68 65 20 77 65 61 74  68 65 72 20 69 6e 20 50  |the weather in P|\n"
                + "      0010  61 72 69 73                                       |aris|\n"
                + "    frame 4/4  last  20 B  0xf0f1f2f3f4f5f6f7f8f9fafbfcfdfeff00010203\n"
                + "      0000  f0 f1 f2 f3 f4 f5 f6 f7  f8 f9 fa fb fc fd fe ff  |................|\n"
                + "      0010  00 01 02 03                                       |....|\n");
    }

    @Test
    void aFrameTheSourceTruncatedSaysSoUnderItsDumpEvenInFull() {
        MessageEvent snapped = new MessageEvent(T, "tap", null, 1, Direction.OUT, null,
                List.of(new Frame(new byte[] {1, 2, 3}, 1000)), false);
        assertThat(print(List.of(snapped), b -> b.hex(true).detail(Detail.FULL))).isEqualTo(""
                + "2026-11-26T10:15:02.481234567Z  out  -                 1 frame  1000 B  [1000]\n"
                + "    frame 1/1  last  1000 B  0x010203…(1000 B)\n"
                + "      0000  01 02 03                                          |...|\n"
                + "      …(1000 B, 3 shown)\n");
    }

    @Test
    void messagesListAtMostSixteenFrameSizes() {
        List<Frame> many = java.util.Collections.nCopies(20, Frame.of("x"));
        assertThat(print(List.of(new MessageEvent(T, "tap", null, 1, Direction.IN, null, many, false)),
                b -> b.detail(Detail.MESSAGES)))
                .endsWith("  20 frames  20 B  [1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 …]\n");
    }

    @Test
    void absoluteTimeIsTheLocalClockToTheMillisecond() {
        assertThat(print(CONVERSATION.subList(2, 3), b -> b.time(TimeColumn.Mode.ABSOLUTE)))
                .isEqualTo(TimeText.clock(at(130_412)) + "  c1  in   client_id_abc     | \"3\"\n");
        assertThat(TimeText.clock(at(130_412))).matches("\\d\\d:\\d\\d:\\d\\d\\.481");
    }

    @Test
    void deltaTimeIsSecondsSinceThePreviousLine() {
        assertThat(print(b -> b.time(TimeColumn.Mode.DELTA)).lines().map(l -> l.substring(0, 14)).toList())
                .containsExactly(
                        " +0.000000  c1",
                        " +0.000000  c1",
                        " +0.000130  c1",
                        " +0.000412  c1",
                        " +0.000457  c1",
                        "+12.002104  c2",
                        " +0.000000  ! ",
                        " +0.496896  c1");
    }

    @Test
    void relativeTimeIsSecondsSinceTheFirstLine() {
        assertThat(print(b -> b.time(TimeColumn.Mode.RELATIVE)).lines().map(l -> l.substring(0, 14)).toList())
                .containsExactly(
                        "  0.000000  c1",
                        "  0.000000  c1",
                        "  0.000130  c1",
                        "  0.000542  c1",
                        "  0.001000  c1",
                        " 12.003104  c2",
                        " 12.003104  ! ",
                        " 12.500000  c1");
    }

    @Test
    void deltaAndRelativeSpanCenturies() {
        // a pcapng file's times reach the year 9999; nanoseconds since 1970 overflow a long past 2262
        Instant later = Instant.parse("3000-01-01T00:00:00.000001Z");
        TimeColumn relative = new TimeColumn(TimeColumn.Mode.RELATIVE);
        relative.text(Instant.EPOCH);
        assertThat(relative.text(later)).isEqualTo("32503680000.000001");
        TimeColumn delta = new TimeColumn(TimeColumn.Mode.DELTA);
        delta.text(later);
        assertThat(delta.text(Instant.EPOCH)).isEqualTo("-32503680000.000001");
        assertThat(delta.text(Instant.EPOCH.plusMillis(1500))).isEqualTo(" +1.500000");
    }

    @Test
    void secondsAreSignedWhenTimeRunsBackwards() {
        assertThat(TimeColumn.seconds(-3_500, true)).isEqualTo(" -0.000003");
        assertThat(TimeColumn.seconds(123_456_789_000L, false)).isEqualTo("123.456789");
        assertThat(TimeColumn.seconds(12_345_000_000_000L, true)).isEqualTo("+12345.000000");
        assertThat(TimeColumn.seconds(-1, -500_000_000, true)).isEqualTo(" -1.500000");
        assertThat(TimeColumn.seconds(2, -500_000_000, false)).isEqualTo("  1.500000");
        assertThat(TimeColumn.Mode.parse("Delta")).isEqualTo(TimeColumn.Mode.DELTA);
        assertThat(Detail.parse("FULL")).isEqualTo(Detail.FULL);
    }

    @Test
    void connectionsKeepTheirColumnsOnceAWiderOneWasSeen() {
        List<CaptureEvent> events = new java.util.ArrayList<>();
        for (String conn : List.of("c9", "c10", "c2", "c999", "c1")) {
            events.add(new MessageEvent(T, "tap", conn, 1, Direction.IN, null, List.of(Frame.of("x")), false));
        }
        assertThat(print(events, b -> b).lines().map(l -> l.indexOf(" in ")).toList())
                .as("the direction's column").containsExactly(35, 36, 36, 37, 37);
    }

    @Test
    void noEscapeCodesWithoutColourAtAnyLevelAndSomeWithIt() {
        List<CaptureEvent> events = new java.util.ArrayList<>(CONVERSATION);
        events.add(new ProtocolErrorEvent(T, "tap", "c3", Direction.IN, 0, "bad greeting"));
        for (Detail detail : Detail.values()) {
            for (TimeColumn.Mode mode : TimeColumn.Mode.values()) {
                assertThat(print(events, b -> b.detail(detail).time(mode).hex(true)))
                        .as(detail + " " + mode).doesNotContain("\u001b").isNotEmpty();
            }
        }
        assertThat(print(events, b -> b.detail(Detail.FULL).hex(true).ansi(Ansi.ON))).contains("\u001b[");
    }
}
