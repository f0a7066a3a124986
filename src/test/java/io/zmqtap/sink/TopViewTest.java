package io.zmqtap.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.event.Frame;
import io.zmqtap.event.StatisticsEvent;
import io.zmqtap.event.StatisticsEvent.Latency;
import io.zmqtap.event.StatisticsEvent.Peer;
import io.zmqtap.event.StatisticsEvent.Pending;
import io.zmqtap.event.TimeText;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopViewTest {
    /** The fake clock: the first snapshot 10 s after the start, the second one second later. */
    private static final Instant T0 = Instant.parse("2026-11-26T10:15:06Z");
    private static final Instant T1 = T0.plusSeconds(1);
    private static final Frame AUTO_ID = Frame.of(new byte[] {0x00, 0x6b, (byte) 0x8b, 0x45, 0x67});
    private static final Latency LATENCY = new Latency(10, 61_000, 80_000, 1_250_000, 2_000_000);

    @Test
    void aScreenShowsTotalsRatesOverTheLastSecondDropsUnansweredAndPeersBusiestFirst() {
        StatisticsEvent before = stats(T0, 10, counters(1000, 500, 500, 0, 0, 0, 1), List.of(
                peer("client", null, AUTO_ID, 400, 400, 4_000, 4_000, LATENCY),
                peer("client", null, Frame.of("client_id_abc"), 100, 100, 1_000, 1_000, Latency.NONE)), List.of());
        StatisticsEvent now = stats(T1, 11, counters(1100, 550, 550, 3, 1, 2, 2), List.of(
                peer("client", null, AUTO_ID, 410, 410, 4_100, 4_100, LATENCY),        // 20 msg/s now
                peer("client", null, Frame.of("client_id_abc"), 140, 140, 1_400, 1_400, Latency.NONE)), // 80 msg/s now
                List.of(new Pending(null, AUTO_ID, 9, T1.minusMillis(1500))));

        List<String> screen = TopView.lines(now, before, 80, 24, Ansi.OFF, List.of());

        assertThat(String.join("\n", screen)).isEqualTo("""
                zmqtap top  tcp://127.0.0.1:4444  up 11.0 s  %s
                messages 1100  in 550  out 550  now 100.0 msg/s  in 50.0  out 50.0  1000 B/s
                drops: events dropped 3 (+3)  capture dropped 2 (+1)
                requests: unanswered 1 (+1)  awaiting reply 2 (+2)

                PEER                    IN/S   OUT/S    BYTES/S      P50      P90      P99
                client client_id_abc    40.0    40.0      800 B        -        -        -
                client 0x006b8b4567     10.0    10.0      200 B    61 µs    80 µs  1.25 ms

                OLDEST UNANSWERED
                #9 from 0x006b8b4567 sent %s (1.5 s before)""".formatted(TimeText.clock(T1),
                TimeText.clock(T1.minusMillis(1500))));
    }

    @Test
    void theFirstScreenHasRatesSinceTheStart() {
        StatisticsEvent first = stats(T0, 10, counters(1000, 500, 500, 0, 0, 0, 0),
                List.of(peer("client", "c1", null, 500, 500, 10_240, 10_240, LATENCY)), List.of());

        List<String> screen = TopView.lines(first, null, 80, 24, Ansi.OFF, List.of());

        assertThat(screen.get(1)).isEqualTo("messages 1000  in 500  out 500  now 100.0 msg/s  in 50.0  out 50.0  2.0 KiB/s");
        assertThat(screen.get(6)).isEqualTo("client c1       50.0    50.0    2.0 KiB    61 µs    80 µs  1.25 ms");
    }

    @Test
    void linesLongerThanTheWidthAreCutWithAnEllipsis() {
        StatisticsEvent now = stats(T1, 11, counters(10, 5, 5, 0, 0, 0, 0),
                List.of(peer("client", "tcp://10.0.0.1:40000 -> tcp://10.0.0.2:5555", null, 5, 5, 50, 50, LATENCY)),
                List.of());

        List<String> screen = TopView.lines(now, null, 40, 24, Ansi.OFF, List.of());

        assertThat(screen).allSatisfy(l -> assertThat(l.codePointCount(0, l.length())).isLessThanOrEqualTo(40));
        assertThat(screen.get(0)).isEqualTo("zmqtap top  tcp://127.0.0.1:4444  up 11…");
        assertThat(screen.get(6)).isEqualTo("client tcp://10.0.0.1:40000 -> tcp://10…");
        assertThat(screen.get(4)).as("blank lines stay blank").isEmpty();
    }

    @Test
    void peersBeyondTheHeightAreSummedUpAsMore() {
        List<Peer> peers = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            peers.add(peer("client", "c" + i, null, i, i, 0, 0, Latency.NONE));
        }
        StatisticsEvent now = stats(T1, 1, counters(930, 465, 465, 0, 0, 0, 0), peers, List.of());

        List<String> screen = TopView.lines(now, null, 80, 12, Ansi.OFF, List.of());

        assertThat(screen).hasSize(12);
        assertThat(screen.subList(6, 11)).extracting(l -> l.split(" +")[1])
                .containsExactly("c30", "c29", "c28", "c27", "c26");
        assertThat(screen.get(11)).isEqualTo("… 25 more peers");
    }

    @Test
    void aScreenTooShortForPeersStillHasItsHeader() {
        StatisticsEvent now = stats(T1, 1, counters(2, 1, 1, 0, 0, 0, 0),
                List.of(peer("client", "c1", null, 1, 1, 0, 0, Latency.NONE)), List.of());

        assertThat(TopView.lines(now, null, 80, 5, Ansi.OFF, List.of())).hasSize(4).noneMatch(l -> l.contains("c1"));
        assertThat(TopView.lines(now, null, 80, 2, Ansi.OFF, List.of())).hasSize(2);
    }

    @Test
    void withoutColourThereIsNoEscapeAndWithColourCuttingCountsOnlyWhatShows() {
        StatisticsEvent now = stats(T1, 11, counters(10, 5, 5, 4, 0, 0, 0),
                List.of(peer("client", "c1", null, 5, 5, 50, 50, LATENCY)),
                List.of(new Pending("c1", null, 3, T0)));
        List<String> notices = List.of("10:15:06.000  server 127.0.0.1:5555 left");

        assertThat(TopView.lines(now, null, 80, 24, Ansi.OFF, notices)).noneMatch(l -> l.contains("\u001b"));
        List<String> coloured = TopView.lines(now, null, 30, 24, Ansi.ON, notices);
        assertThat(coloured).anyMatch(l -> l.contains("\u001b[31m4\u001b[0m"));
        assertThat(coloured).allSatisfy(l -> {
            String shown = l.replaceAll("\u001b\\[[0-9;]*m", "");
            assertThat(shown.codePointCount(0, shown.length())).isLessThanOrEqualTo(30);
        });
        assertThat(coloured.get(0)).isEqualTo("\u001b[1mzmqtap top\u001b[0m  tcp://127.0.0.1:4…");
    }

    @Test
    void theLatestNoticesAndHowManyMoreRequestsAreUnansweredShow() {
        StatisticsEvent now = stats(T1, 11, counters(10, 5, 5, 0, 7, 0, 0), List.of(),
                List.of(new Pending("c1", null, 3, T0), new Pending("c2", null, 4, T0), new Pending("c3", null, 5, T0),
                        new Pending("c4", null, 6, T0)));

        List<String> screen = TopView.lines(now, null, 80, 24, Ansi.OFF, List.of("n1", "n2", "n3", "n4"));

        assertThat(screen.subList(4, screen.size())).containsExactly("", "OLDEST UNANSWERED",
                "#3 on c1 sent " + TimeText.clock(T0) + " (1.0 s before)",
                "#4 on c2 sent " + TimeText.clock(T0) + " (1.0 s before)",
                "#5 on c3 sent " + TimeText.clock(T0) + " (1.0 s before)",
                "… 4 more", "", "NOTICES", "n2", "n3", "n4");
    }

    @Test
    void ratesSizesAndTimesReadWell() {
        assertThat(TopView.rate(15, 2)).isEqualTo("7.5");
        assertThat(TopView.rate(12_345, 1)).isEqualTo("12.3k");
        assertThat(TopView.rate(2_500_000, 1)).isEqualTo("2.5M");
        assertThat(TopView.rate(5, 0)).isEqualTo("0.0");
        assertThat(TopView.size(512)).isEqualTo("512 B");
        assertThat(TopView.size(35_328)).isEqualTo("34.5 KiB");
        assertThat(TopView.size(3L << 30)).isEqualTo("3.0 GiB");
        assertThat(TopView.elapsed(Duration.ofMillis(12_340))).isEqualTo("12.3 s");
        assertThat(TopView.elapsed(Duration.ofSeconds(65))).isEqualTo("1m 05s");
        assertThat(TopView.elapsed(Duration.ofSeconds(7390))).isEqualTo("2h 03m 10s");
    }

    /** The pipeline's counters, then a queue's capture drops. */
    static Map<String, Long> counters(long messages, long in, long out, long eventsDropped, long unanswered,
            long awaiting, long captureDropped) {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("messages", messages);
        c.put("messages_in", in);
        c.put("messages_out", out);
        c.put("events_dropped", eventsDropped);
        c.put("unanswered", unanswered);
        c.put("awaiting_reply", awaiting);
        c.put("unanswered_evicted", 0L);
        c.put("capture_dropped", captureDropped);
        return c;
    }

    static StatisticsEvent stats(Instant time, long elapsedSeconds, Map<String, Long> counters, List<Peer> peers,
            List<Pending> unanswered) {
        return new StatisticsEvent(time, "tcp://127.0.0.1:4444", null, false, Duration.ofSeconds(elapsedSeconds),
                counters, peers, unanswered);
    }

    static Peer peer(String role, String conn, Frame identity, long in, long out, long bytesIn, long bytesOut,
            Latency latency) {
        return new Peer(role, conn, identity, in, out, bytesIn, bytesOut, latency, Map.of());
    }
}
