package io.zmqtap.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.Direction;
import io.zmqtap.event.Frame;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.event.NoticeEvent;
import io.zmqtap.event.ProtocolErrorEvent;
import io.zmqtap.event.Sink;
import io.zmqtap.event.StatisticsEvent;
import io.zmqtap.event.StatisticsEvent.Latency;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The driver: the interval is whoever hands it statistics (a pipeline's statsEvery); here a fake
 * clock, statistics events 1 s apart, so nothing sleeps.
 */
class TopSinkTest {
    private static final Instant T0 = Instant.parse("2026-11-26T10:15:06Z");

    private final StringWriter screen = new StringWriter();
    /** What the fallback (the statistics' usual sink) was given. */
    private final List<CaptureEvent> fallback = new ArrayList<>();
    private final Sink recorder = new Sink() {
        @Override
        public void accept(CaptureEvent event) {
            fallback.add(event);
        }
    };

    @Test
    void onATerminalItRedrawsInPlaceOnTheAlternateScreenAndRestoresItBeforeTheSummary() {
        TopSink top = new TopSink(new PrintWriter(screen), true, new TerminalSize(60, 10), Ansi.OFF, recorder);

        top.accept(tick(1, 100, false));
        String first = screen.toString();
        top.accept(message());
        top.accept(tick(2, 300, false));
        String both = screen.toString();
        StatisticsEvent summary = tick(3, 400, true);
        top.accept(summary);
        top.close();

        assertThat(first).startsWith(TopSink.ENTER + TopSink.HOME + "zmqtap top  src  up 1.0 s")
                .contains("now 100.0 msg/s  in 50.0  out…" + TopSink.CLEAR_LINE + "\r\n").endsWith(TopSink.CLEAR_BELOW)
                .doesNotContain("\n" + TopSink.CLEAR_BELOW);
        String second = both.substring(first.length());
        assertThat(second).as("the second screen over the first, with the last second's rate")
                .startsWith(TopSink.HOME + "zmqtap top  src  up 2.0 s").contains("now 200.0 msg/s")
                .doesNotContain(TopSink.ENTER).endsWith(TopSink.CLEAR_BELOW);
        assertThat(screen.toString()).as("the terminal restored once, nothing after it")
                .endsWith(TopSink.CLEAR_BELOW + TopSink.LEAVE).containsOnlyOnce(TopSink.LEAVE);
        assertThat(first.split("\r\n")).as("cut to the width less one column, no more lines than rows")
                .hasSizeLessThanOrEqualTo(10)
                .allSatisfy(l -> assertThat(l.replaceAll("\u001b\\[[?0-9;]*[a-zA-Z]", "")).hasSizeLessThanOrEqualTo(59));
        assertThat(fallback).containsExactly(summary);
    }

    @Test
    void aResizedWindowIsFollowedAtTheNextRedraw() {
        TerminalResize window = new TerminalResize(new java.util.ArrayDeque<>(List.of(new TerminalSize(60, 10),
                new TerminalSize(30, 6)))::poll);
        TopSink top = new TopSink(new PrintWriter(screen), true, window, Ansi.OFF, recorder);

        top.accept(tick(1, 100, false));
        String first = screen.toString();
        window.resized(); // as SIGWINCH does
        top.accept(tick(2, 300, false));
        String second = screen.toString().substring(first.length());
        top.close();

        assertThat(visible(first)).as("60x10").anySatisfy(l -> assertThat(l).hasSizeGreaterThan(29))
                .allSatisfy(l -> assertThat(l).hasSizeLessThanOrEqualTo(59)).hasSizeLessThanOrEqualTo(10);
        assertThat(visible(second)).as("30x6 after the resize")
                .allSatisfy(l -> assertThat(l).hasSizeLessThanOrEqualTo(29)).hasSizeLessThanOrEqualTo(6);
    }

    private static List<String> visible(String screen) {
        return java.util.Arrays.stream(screen.split("\r\n")).map(l -> l.replaceAll("\u001b\\[[?0-9;]*[a-zA-Z]", ""))
                .toList();
    }

    @Test
    void onATerminalNoticesShowOnTheScreenThenGoToTheFallbackAfterIt() {
        TopSink top = new TopSink(new PrintWriter(screen), true, new TerminalSize(80, 24), Ansi.OFF, recorder);
        NoticeEvent notice = new NoticeEvent(T0, "src", NoticeEvent.Level.WARNING, "server 127.0.0.1:5555 left");
        ProtocolErrorEvent error = new ProtocolErrorEvent(T0, "src", "c1", Direction.IN, 10, "bad greeting");

        top.accept(notice);
        top.accept(error);
        top.accept(tick(1, 10, false));

        assertThat(fallback).as("nothing may write over the screen").isEmpty();
        assertThat(screen.toString()).contains("NOTICES", "server 127.0.0.1:5555 left", "c1  protocol error: bad greeting");
        StatisticsEvent summary = tick(2, 20, true);
        top.accept(summary);
        assertThat(fallback).containsExactly(notice, error, summary);
    }

    @Test
    void pipedItPrintsPlainScreensOneAfterTheOtherAndPassesNoticesAtOnce() {
        TopSink top = new TopSink(new PrintWriter(screen), false, TerminalSize.DEFAULT, Ansi.OFF, recorder);
        NoticeEvent notice = new NoticeEvent(T0, "src", NoticeEvent.Level.WARNING, "server left");

        top.accept(tick(1, 100, false));
        top.accept(notice);
        top.accept(tick(2, 300, false));
        StatisticsEvent summary = tick(3, 400, true);
        top.accept(summary);
        top.close();

        String text = screen.toString();
        assertThat(text).doesNotContain("\u001b");
        assertThat(text.lines().filter(l -> l.startsWith("zmqtap top  src  up "))).hasSize(2);
        assertThat(text).contains("now 100.0 msg/s", "now 200.0 msg/s").endsWith("\n\n");
        assertThat(fallback).containsExactly(notice, summary);
    }

    @Test
    void closingWithoutASummaryStillRestoresTheTerminal() {
        TopSink top = new TopSink(new PrintWriter(screen), true, TerminalSize.DEFAULT, Ansi.OFF, recorder);
        top.accept(tick(1, 1, false));

        top.close();
        top.close();
        top.accept(tick(2, 2, false));

        assertThat(screen.toString()).endsWith(TopSink.LEAVE).containsOnlyOnce(TopSink.LEAVE)
                .containsOnlyOnce(TopSink.HOME);
        assertThat(fallback).isEmpty();
    }

    @Test
    void aSummaryBeforeAnyScreenLeavesTheTerminalAlone() {
        TopSink top = new TopSink(new PrintWriter(screen), true, TerminalSize.DEFAULT, Ansi.OFF, recorder);
        StatisticsEvent summary = tick(1, 1, true);

        top.accept(summary);

        assertThat(screen.toString()).isEmpty();
        assertThat(fallback).containsExactly(summary);
    }

    /** The statistics {@code seconds} after the start, {@code messages} so far. */
    private static StatisticsEvent tick(long seconds, long messages, boolean last) {
        return new StatisticsEvent(T0.plusSeconds(seconds), "src", null, last, Duration.ofSeconds(seconds),
                Map.of("messages", messages, "messages_in", messages / 2, "messages_out", messages / 2),
                List.of(new StatisticsEvent.Peer("client", "c1", null, messages / 2, messages / 2, 0, 0,
                        Latency.NONE, Map.of())), List.of());
    }

    private static MessageEvent message() {
        return new MessageEvent(T0, "src", "c1", 1, Direction.IN, null, List.of(Frame.of("x")), false);
    }
}
