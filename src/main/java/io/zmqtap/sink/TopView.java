package io.zmqtap.sink;

import io.zmqtap.event.FrameText;
import io.zmqtap.event.StatisticsEvent;
import io.zmqtap.event.TimeText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The {@code --top} screen, as lines: a header with the source's totals, its rates over the last
 * interval, its drops and its requests without a reply, then the busiest peers (by their rate over
 * the last interval) in aligned columns, the oldest unanswered requests and the latest notices.
 * Pure: no I/O, no clock (an interval is the time between two statistics events' {@code elapsed}).
 *
 * <pre>
 * zmqtap top  tcp://127.0.0.1:4444  up 1m 05s  10:15:07.000
 * messages 1020  in 510  out 510  now 20.0 msg/s  in 10.0  out 10.0  680 B/s
 * drops: events dropped 0  capture dropped 3 (+3)
 * requests: unanswered 1  awaiting reply 2  notices 1
 *
 * PEER                     IN/S   OUT/S    BYTES/S      P50      P90      P99
 * client 0x006b8b4567      10.0    10.0      680 B    61 µs    80 µs    95 µs
 * … 3 more peers
 *
 * OLDEST UNANSWERED
 * #9 from 0x006b8b4567 sent 10:15:06.900 (0.1 s before)
 * </pre>
 *
 * <p>Usage: {@code TopView.lines(now, previous, 80, 24, Ansi.OFF, List.of()).forEach(out::println)}
 */
public final class TopView {
    /** Unanswered requests and notices listed at most. */
    static final int LISTED = 3;
    /** Right-aligned columns after the peer's name: title and width (a space before each included). */
    private static final String[] COLUMNS = {"IN/S", "OUT/S", "BYTES/S", "P50", "P90", "P99"};
    private static final int[] WIDTHS = {8, 8, 11, 9, 9, 9};
    private static final int MIN_PEER_WIDTH = 12;

    private TopView() {}

    /**
     * The screen for {@code now}.
     *
     * @param previous the statistics one interval before, for the rates over that interval; null for
     *        the first screen (then rates are since the start)
     * @param width columns: longer lines are cut, with {@code …} as their last column
     * @param height lines at most: peers that do not fit are summed up as {@code … N more peers}
     * @param notices the latest notices' lines, oldest first (the last {@link #LISTED} are shown)
     */
    public static List<String> lines(StatisticsEvent now, StatisticsEvent previous, int width, int height, Ansi ansi,
            List<String> notices) {
        Objects.requireNonNull(now);
        Duration interval = previous == null ? now.elapsed() : now.elapsed().minus(previous.elapsed());
        double seconds = Math.max(0, interval.toNanos() / 1e9);
        List<Line> head = header(now, previous, seconds, ansi);

        List<Line> tail = new ArrayList<>();
        unanswered(now, tail, ansi);
        List<String> latest = notices.subList(Math.max(0, notices.size() - LISTED), notices.size());
        if (!latest.isEmpty()) {
            tail.add(new Line());
            tail.add(new Line().add("NOTICES", ansi::bold));
            latest.forEach(n -> tail.add(new Line().add(n, ansi::yellow)));
        }

        List<Line> body = peers(now, previous, seconds, width, height - head.size() - tail.size(), ansi);
        List<String> out = new ArrayList<>();
        for (List<Line> part : List.of(head, body, tail)) {
            for (Line l : part) {
                if (out.size() < height) {
                    out.add(l.render(width));
                }
            }
        }
        return out;
    }

    /** Source and time, totals and rates, drops, requests. */
    private static List<Line> header(StatisticsEvent now, StatisticsEvent previous, double seconds, Ansi ansi) {
        List<Line> lines = new ArrayList<>();
        lines.add(new Line().add("zmqtap top", ansi::bold).add("  " + now.source() + "  up " + elapsed(now.elapsed())
                + "  " + TimeText.clock(now.time())));

        Line traffic = new Line().add("messages " + now.counter("messages") + "  in " + now.counter("messages_in")
                + "  out " + now.counter("messages_out") + "  ");
        traffic.add("now " + rate(delta(now, previous, "messages"), seconds) + " msg/s", ansi::green)
                .add("  in " + rate(delta(now, previous, "messages_in"), seconds)
                        + "  out " + rate(delta(now, previous, "messages_out"), seconds));
        long bytes = Math.max(0, bytes(now) - (previous == null ? 0 : bytes(previous)));
        traffic.add("  " + size(seconds <= 0 ? 0 : bytes / seconds) + "/s");
        lines.add(traffic);

        Line drops = new Line().add("drops:");
        now.counters().forEach((name, value) -> {
            // every source names its losses its own way: events_dropped, capture_dropped, connection_drops, gaps
            if (name.contains("drop") || name.equals("gaps")) {
                counter(drops, name, value, delta(now, previous, name), ansi::red);
            }
        });
        lines.add(drops);

        Line requests = new Line().add("requests:");
        for (String name : List.of("unanswered", "awaiting_reply", "unanswered_evicted", "protocol_errors", "notices")) {
            Long value = now.counters().get(name);
            if (value != null && (value > 0 || !name.equals("unanswered_evicted"))) {
                counter(requests, name, value, delta(now, previous, name), ansi::yellow);
            }
        }
        lines.add(requests);
        return lines;
    }

    /** {@code name value} after what the line holds, coloured when not 0, with {@code (+N)} when it grew over the interval. */
    private static void counter(Line line, String name, long value, long grew, UnaryOperator<String> alarm) {
        line.add((line.texts.size() == 1 ? " " : "  ") + name.replace('_', ' ') + " ");
        line.add(Long.toString(value), value > 0 ? alarm : null);
        if (grew > 0) {
            line.add(" (+" + grew + ")", alarm);
        }
    }

    /** The table of peers, busiest now first, in at most {@code room} lines (its title and blank line included). */
    private static List<Line> peers(StatisticsEvent now, StatisticsEvent previous, double seconds, int width,
            int room, Ansi ansi) {
        List<Line> lines = new ArrayList<>();
        if (room < 3 || now.peers().isEmpty()) {
            return lines; // no room for a title and one peer: the header says more
        }
        Map<String, StatisticsEvent.Peer> before = new HashMap<>();
        if (previous != null) {
            previous.peers().forEach(p -> before.putIfAbsent(key(p), p));
        }
        List<Row> rows = new ArrayList<>();
        for (StatisticsEvent.Peer p : now.peers()) {
            StatisticsEvent.Peer b = before.get(key(p));
            long in = p.messagesIn() - (b == null ? 0 : b.messagesIn());
            long out = p.messagesOut() - (b == null ? 0 : b.messagesOut());
            long bytes = p.bytesIn() + p.bytesOut() - (b == null ? 0 : b.bytesIn() + b.bytesOut());
            rows.add(new Row(p, label(p), Math.max(0, in), Math.max(0, out), Math.max(0, bytes)));
        }
        rows.sort(Comparator.comparingLong((Row r) -> r.in + r.out).reversed()
                .thenComparing(Comparator.comparingLong((Row r) -> r.peer.messagesIn() + r.peer.messagesOut()).reversed())
                .thenComparing(r -> r.label));
        int fixed = 0;
        for (int w : WIDTHS) {
            fixed += w;
        }
        int longest = rows.stream().mapToInt(r -> r.label.length()).max().orElse(0);
        int peerWidth = Math.max(MIN_PEER_WIDTH, Math.min(Math.max(longest, 4), width - fixed));

        lines.add(new Line());
        StringBuilder title = new StringBuilder(pad("PEER", peerWidth));
        for (int i = 0; i < COLUMNS.length; i++) {
            title.append(right(COLUMNS[i], WIDTHS[i]));
        }
        lines.add(new Line().add(title.toString(), ansi::bold));
        int fit = room - 2;
        int shown = rows.size() <= fit ? rows.size() : fit - 1;
        for (Row r : rows.subList(0, shown)) {
            StatisticsEvent.Latency l = r.peer.latency();
            Line line = new Line().add(pad(r.label, peerWidth), ansi::cyan)
                    .add(right(rate(r.in, seconds), WIDTHS[0]) + right(rate(r.out, seconds), WIDTHS[1])
                            + right(size(seconds <= 0 ? 0 : r.bytes / seconds), WIDTHS[2]));
            line.add(right(latency(l, l.p50Nanos()), WIDTHS[3]) + right(latency(l, l.p90Nanos()), WIDTHS[4])
                    + right(latency(l, l.p99Nanos()), WIDTHS[5]));
            lines.add(line);
        }
        if (shown < rows.size()) {
            lines.add(new Line().add("… " + (rows.size() - shown) + " more peers", ansi::dim));
        }
        return lines;
    }

    /** The oldest requests left without a reply, and how many more. */
    private static void unanswered(StatisticsEvent now, List<Line> lines, Ansi ansi) {
        List<StatisticsEvent.Pending> listed = now.unanswered();
        if (listed.isEmpty()) {
            return;
        }
        lines.add(new Line());
        lines.add(new Line().add("OLDEST UNANSWERED", ansi::bold));
        List<StatisticsEvent.Pending> shown = listed.subList(0, Math.min(LISTED, listed.size()));
        for (StatisticsEvent.Pending p : shown) {
            Duration age = Duration.between(p.sent(), now.time());
            lines.add(new Line().add("#" + p.seq()
                    + (p.identity() != null ? " from " + FrameText.identity(p.identity()) : "")
                    + (p.conn() != null ? " on " + p.conn() : "") + " sent " + TimeText.clock(p.sent())
                    + " (" + elapsed(age.isNegative() ? Duration.ZERO : age) + " before)", ansi::yellow));
        }
        long more = Math.max(now.counter("unanswered"), listed.size()) - shown.size();
        if (more > 0) {
            lines.add(new Line().add("… " + more + " more", ansi::dim));
        }
    }

    /** What a peer is called across two statistics events. */
    private static String key(StatisticsEvent.Peer p) {
        return p.role() + '\u0000' + p.conn() + '\u0000' + (p.identity() == null ? "" : p.identity().hex());
    }

    private static String label(StatisticsEvent.Peer p) {
        return (p.role() + " " + (p.conn() != null ? p.conn() + " " : "")
                + (p.identity() != null ? FrameText.identity(p.identity()) : "")).strip();
    }

    private static long delta(StatisticsEvent now, StatisticsEvent previous, String counter) {
        return now.counter(counter) - (previous == null ? 0 : previous.counter(counter));
    }

    private static long bytes(StatisticsEvent s) {
        long sum = 0;
        for (StatisticsEvent.Peer p : s.peers()) {
            sum += p.bytesIn() + p.bytesOut();
        }
        return sum;
    }

    /** Per second: {@code 12.5}, {@code 12.5k}, {@code 1.2M}. */
    static String rate(long count, double seconds) {
        double r = seconds <= 0 ? 0 : Math.max(0, count) / seconds;
        if (r < 999.95) {
            return String.format(Locale.ROOT, "%.1f", r);
        }
        if (r < 999_950) {
            return String.format(Locale.ROOT, "%.1fk", r / 1e3);
        }
        return String.format(Locale.ROOT, "%.1fM", r / 1e6);
    }

    /** Bytes for people: {@code 512 B}, {@code 34.5 KiB}, {@code 1.2 MiB}, {@code 3.0 GiB}. */
    static String size(double bytes) {
        if (bytes < 1023.5) {
            return String.format(Locale.ROOT, "%.0f B", bytes);
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes / 1024;
        int u = 0;
        while (v >= 1023.95 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** {@code 12.3 s}, {@code 1m 05s}, {@code 2h 03m 10s}. */
    static String elapsed(Duration d) {
        long s = d.getSeconds();
        if (s < 60) {
            return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh %02dm %02ds", s / 3600, s / 60 % 60, s % 60);
    }

    private static String latency(StatisticsEvent.Latency l, long nanos) {
        return l.count() == 0 ? "-" : StatisticsText.latency(nanos);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /** {@code s} right-aligned in {@code width} columns, at least one space before it. */
    private static String right(String s, int width) {
        return " ".repeat(Math.max(1, width - s.length())) + s;
    }

    /** A peer's counts over the interval. */
    private record Row(StatisticsEvent.Peer peer, String label, long in, long out, long bytes) {}

    /** A screen line as styled pieces, so that it is cut by what shows, not by its escape codes. */
    private static final class Line {
        private final List<String> texts = new ArrayList<>();
        private final List<UnaryOperator<String>> styles = new ArrayList<>();

        Line add(String text) {
            return add(text, null);
        }

        Line add(String text, UnaryOperator<String> style) {
            texts.add(text);
            styles.add(style);
            return this;
        }

        /** At most {@code width} code points shown, the last one {@code …} when cut. */
        String render(int width) {
            int total = 0;
            for (String t : texts) {
                total += t.codePointCount(0, t.length());
            }
            boolean cut = total > width;
            int left = cut ? Math.max(0, width - 1) : total;
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < texts.size() && left > 0; i++) {
                String t = texts.get(i);
                int n = t.codePointCount(0, t.length());
                if (n > left) {
                    t = t.substring(0, t.offsetByCodePoints(0, left));
                    n = left;
                }
                UnaryOperator<String> style = styles.get(i);
                sb.append(style == null || t.isEmpty() ? t : style.apply(t));
                left -= n;
            }
            if (cut && width > 0) {
                sb.append('…');
            }
            return sb.toString();
        }
    }
}
