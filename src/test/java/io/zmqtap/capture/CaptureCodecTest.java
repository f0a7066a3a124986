package io.zmqtap.capture;

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
import io.zmqtap.event.StatisticsEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class CaptureCodecTest {
    static final Instant T = Instant.parse("2026-11-30T10:15:02.481234567Z");

    /** One of every event type, with the frames that are easy to get wrong. */
    static List<CaptureEvent> everyKind() {
        byte[] big = new byte[3 << 20];
        new Random(7).nextBytes(big);
        byte[] cutInCharacter = "caf\u00e9".getBytes(StandardCharsets.UTF_8); // 63 61 66 c3 a9
        Frame routingId = Frame.of(new byte[] {0, 0x6b, (byte) 0x8b, 0x45, 0x67});
        Map<String, Frame> props = new LinkedHashMap<>();
        props.put("Resource", Frame.of("/orders"));
        props.put("X-Binary", Frame.of(new byte[] {1, 2, 3}));
        StatisticsEvent.Peer peer = new StatisticsEvent.Peer("client", "c1", Frame.of("0xab"), 5, 4, 30, 24,
                new StatisticsEvent.Latency(4, 61_234, 80_001, 95_999, 96_000), Map.of("unanswered", 1L));
        StatisticsEvent.Peer server = new StatisticsEvent.Peer("server", "127.0.0.1:5555", null, 5, 4, 30, 24,
                StatisticsEvent.Latency.NONE, Map.of("connections", 2L, "in_flight", 0L));
        return List.of(
                new MessageEvent(T, "tcp://127.0.0.1:4444", null, 16, Direction.IN, routingId,
                        List.of(routingId, Frame.EMPTY, Frame.of("3")), true),
                new MessageEvent(T.plusNanos(61_234), "tcp://127.0.0.1:4444", null, 17, Direction.OUT, routingId,
                        List.of(routingId, Frame.EMPTY, Frame.of("6")), true, 16, 61_234),
                new MessageEvent(T, "tap", "c1", 3, Direction.IN, Frame.of("client_a"),
                        List.of(Frame.of("hop1"), Frame.EMPTY, Frame.of("caf\u00e9 \u2713 \ud83d\ude00")), false),
                new MessageEvent(T, "tap", "c1", 4, Direction.IN, Frame.of("0xab"),
                        List.of(new Frame(Arrays.copyOf(cutInCharacter, 4), 1000), new Frame(new byte[] {-1, 0, 1}, 1 << 20),
                                Frame.of(big), Frame.of("line\nbreak\ttab")), false),
                new MessageEvent(T, "raw", null, 0, Direction.UNKNOWN, null, List.of(), false),
                new MessageEvent(T, "tap", "c2", 5, Direction.IN, new Frame(new byte[] {'a', 'b'}, 9),
                        List.of(Frame.of(new byte[] {0x7f})), false),
                new CommandEvent(T, "tap", "c2", Direction.IN, "SUBSCRIBE", Frame.of("weather"), "(ZMTP 3.0 data frame)"),
                new CommandEvent(T, "tap", "c2", Direction.OUT, "PING", null, ""),
                new CommandEvent(T, "tap", "c2", Direction.IN, "CANCEL", Frame.of(new byte[] {(byte) 0xff}), ""),
                new HandshakeEvent(T, "tap", "c1", Direction.IN, "3.1", "NULL", false, "DEALER", Frame.of("client_a"), props),
                new HandshakeEvent(T, "tap", "c3", Direction.OUT, "3.0", "CURVE", true, null, null, Map.of()),
                new ConnectionEvent(T, "tap", "c1", ConnectionEvent.Kind.OPENED, "127.0.0.1:53122", "127.0.0.1:5555",
                        "DEALER", "ROUTER", "3.1", "NULL", 0, 0, 0, 0),
                new ConnectionEvent(T, "tap", "c1", ConnectionEvent.Kind.CLOSED, "127.0.0.1:53122", "127.0.0.1:5555",
                        null, null, null, null, 182, 170, 5, 5),
                new NoticeEvent(T, "queue", NoticeEvent.Level.WARNING, "server 127.0.0.1:5555 left \u2014 2 unanswered"),
                new NoticeEvent(T, "tap", "c9", NoticeEvent.Level.ERROR, "gap of 12 bytes"),
                new ProtocolErrorEvent(T, "tap", "c3", Direction.IN, 0, "bad greeting signature at offset 0"),
                new StatisticsEvent(T, "tcp://127.0.0.1:4444", null, true, Duration.ofNanos(10_012_345_678L),
                        Map.of("messages", 9L), List.of(peer, server),
                        List.of(new StatisticsEvent.Pending(null, Frame.of(new byte[] {0, 1}), 9, T.minusMillis(100)))));
    }

    static byte[] section(List<CaptureEvent> events, boolean finish) {
        CaptureEncoder enc = new CaptureEncoder(CaptureHeader.of("zmqtap test", "test", T));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (CaptureEvent e : events) {
            enc.event(e);
            enc.flush();
            out.write(enc.output(), 0, enc.outputLength());
            enc.clearOutput();
        }
        if (finish) {
            enc.finish(T);
        } else {
            enc.flush();
        }
        out.write(enc.output(), 0, enc.outputLength());
        return out.toByteArray();
    }

    /** What a decoder saw. */
    static final class Seen implements CaptureDecoder.Listener {
        final List<CaptureEvent> events = new ArrayList<>();
        final List<CaptureHeader> sections = new ArrayList<>();
        final List<String> damage = new ArrayList<>();

        @Override
        public void section(CaptureHeader header, long offset) {
            sections.add(header);
        }

        @Override
        public void event(CaptureEvent event) {
            events.add(event);
        }

        @Override
        public void damage(String problem, long offset) {
            damage.add(problem + " @" + offset);
        }
    }

    static CaptureDecoder decode(byte[] bytes, int piece, Seen seen) {
        CaptureDecoder d = new CaptureDecoder(seen);
        for (int at = 0; at < bytes.length; at += piece) {
            d.feed(bytes, at, Math.min(piece, bytes.length - at));
        }
        return d;
    }

    @Test
    void everyEventTypeComesBackEqualFramesBytesIncluded() {
        List<CaptureEvent> events = everyKind();
        Seen seen = new Seen();
        CaptureDecoder d = decode(section(events, true), 1 << 16, seen);
        assertThat(seen.damage).isEmpty();
        assertThat(seen.events).containsExactlyElementsOf(events);
        assertThat(seen.sections).containsExactly(CaptureHeader.of("zmqtap test", "test", T));
        assertThat(d.tail().ending()).isEqualTo(CaptureDecoder.Ending.COMPLETE);
    }

    @Test
    void bytesFedOneAtATimeDecodeTheSame() {
        List<CaptureEvent> events = everyKind().subList(0, 3);
        Seen seen = new Seen();
        decode(section(events, true), 1, seen);
        assertThat(seen.damage).isEmpty();
        assertThat(seen.events).containsExactlyElementsOf(events);
    }

    @Test
    void aClosedFileIsAGzipOfJsonLinesThatZcatReads() throws IOException {
        byte[] file = concat(section(everyKind().subList(0, 2), true), section(everyKind().subList(13, 14), true));
        String text = new String(new GZIPInputStream(new ByteArrayInputStream(file)).readAllBytes(), StandardCharsets.UTF_8);
        String[] lines = text.split("\n");
        assertThat(lines).hasSize(7);
        assertThat(lines[0]).startsWith("{\"v\":1,\"type\":\"capture_start\",\"format\":1,\"writer\":\"zmqtap test\"");
        assertThat(lines[1]).startsWith("{\"v\":1,\"type\":\"message\",\"ts\":\"2026-11-30T10:15:02.481234567Z\"")
                .contains("\"routed\":true");
        assertThat(lines[3]).isEqualTo("{\"v\":1,\"type\":\"capture_end\",\"ts\":\"2026-11-30T10:15:02.481234567Z\",\"events\":2}");
        assertThat(lines[5]).contains("\"type\":\"notice\"");
    }

    @Test
    void appendedSectionsReadInOrder() {
        List<CaptureEvent> events = everyKind();
        byte[] file = concat(section(events.subList(0, 5), true), section(events.subList(5, 10), true));
        Seen seen = new Seen();
        CaptureDecoder d = decode(file, 7, seen);
        assertThat(seen.damage).isEmpty();
        assertThat(seen.sections).hasSize(2);
        assertThat(seen.events).containsExactlyElementsOf(events.subList(0, 10));
        assertThat(d.tail().ending()).isEqualTo(CaptureDecoder.Ending.COMPLETE);
    }

    @Test
    void aSectionCutAnywhereGivesEveryWholeRecordBeforeTheCut() {
        List<CaptureEvent> events = everyKind().subList(0, 3);
        byte[] whole = section(events, true);
        byte[] firstTwo = section(events.subList(0, 2), false);
        for (int cut = CaptureFileFormat.HEADER_BYTES; cut < whole.length; cut++) {
            Seen seen = new Seen();
            CaptureDecoder d = decode(Arrays.copyOf(whole, cut), 4096, seen);
            assertThat(seen.damage).as("cut at %d", cut).isEmpty();
            assertThat(seen.events).isEqualTo(events.subList(0, seen.events.size()));
            if (cut >= firstTwo.length) {
                assertThat(seen.events).as("cut at %d", cut).hasSizeGreaterThanOrEqualTo(2);
            }
            assertThat(d.tail().ending()).as("cut at %d", cut).isIn(CaptureDecoder.Ending.OPEN,
                    CaptureDecoder.Ending.CUT, CaptureDecoder.Ending.COMPLETE);
        }
    }

    @Test
    void aCutInsideARecordIsToldFromACutBetweenRecords() {
        List<CaptureEvent> events = everyKind().subList(0, 2);
        byte[] flushedTwo = section(events, false); // as a live writer leaves it: two lines, sync-flushed
        Seen seen = new Seen();
        assertThat(decode(flushedTwo, 100, seen).tail().ending()).isEqualTo(CaptureDecoder.Ending.OPEN);
        assertThat(seen.events).hasSize(2);

        // the third record's bytes end half-way: its line is incomplete
        CaptureEncoder enc = new CaptureEncoder(CaptureHeader.of("zmqtap test", "test", T));
        enc.event(events.get(0));
        enc.flush();
        int firstEnd = enc.outputLength();
        enc.event(everyKind().get(3)); // a 3 MiB frame: its deflate output comes before any flush
        byte[] partial = Arrays.copyOf(enc.output(), Math.max(firstEnd + 100, enc.outputLength() / 2));
        Seen cut = new Seen();
        CaptureDecoder.Tail tail = decode(partial, 1 << 16, cut).tail();
        assertThat(cut.events).containsExactly(events.get(0));
        assertThat(tail.ending()).isEqualTo(CaptureDecoder.Ending.CUT);
        assertThat(tail.offset()).isEqualTo(partial.length);
        assertThat(tail.sectionEvents()).isEqualTo(1);
    }

    @Test
    void afterASectionItsWriterDidNotFinishTheNextSectionIsStillRead() {
        List<CaptureEvent> events = everyKind();
        byte[] crashed = section(events.subList(0, 3), false);
        byte[] torn = Arrays.copyOf(crashed, crashed.length - 3);
        byte[] file = concat(torn, section(events.subList(6, 8), true));
        Seen seen = new Seen();
        decode(file, 1000, seen);
        assertThat(seen.sections).hasSize(2);
        assertThat(seen.events).endsWith(events.get(6), events.get(7));
        assertThat(seen.damage).isNotEmpty();
    }

    @Test
    void aFileThatIsNotACaptureSaysSo() {
        Seen seen = new Seen();
        decode("{\"v\":1,\"type\":\"message\"} and more text".getBytes(StandardCharsets.UTF_8), 5, seen);
        assertThat(seen.damage).containsExactly("not a zmqtap capture file @0");
        assertThat(seen.events).isEmpty();
    }

    @Test
    void aNewerFormatVersionIsSkippedWithOneLine() {
        byte[] newer = section(everyKind().subList(0, 1), true);
        newer[16] = 2;
        byte[] file = concat(newer, section(everyKind().subList(1, 2), true));
        Seen seen = new Seen();
        decode(file, 64, seen);
        assertThat(seen.damage).containsExactly(
                "a section of capture format version 2 (this zmqtap reads version 1 and older): skipped @0");
        assertThat(seen.events).containsExactly(everyKind().get(1));
    }

    @Test
    void aFlippedByteIsReportedWithItsSection() {
        byte[] file = section(everyKind().subList(0, 3), true);
        file[file.length - 2] ^= 0x55; // the size in the trailer
        Seen seen = new Seen();
        decode(file, 1 << 16, seen);
        assertThat(seen.events).hasSize(3);
        assertThat(seen.damage).singleElement().asString().startsWith("the section at byte 0 fails its checksum");
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
