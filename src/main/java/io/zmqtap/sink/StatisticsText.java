package io.zmqtap.sink;

import io.zmqtap.event.FrameText;
import io.zmqtap.event.StatisticsEvent;
import io.zmqtap.event.TimeText;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link StatisticsEvent} for people: one line of counts, then one line per peer with its
 * traffic and reply latency, then the requests still unanswered.
 *
 * <pre>
 * stats 10.0 s: messages 10, messages_in 5, messages_out 5, dropped 0, unanswered 1
 *   client 0x006b8b4567     in 5  out 4  182 B / 170 B  0.9 msg/s  latency p50 61 µs  p90 80 µs  p99 95 µs  max 95 µs
 *   unanswered: #9 from 0x006b8b4567 sent 10:15:06.900
 * </pre>
 *
 * <p>Usage: {@code out.println(StatisticsText.lines(stats, Ansi.OFF))}
 */
public final class StatisticsText {
    /** Peers listed in text at most, the busiest first when there are more. */
    static final int MAX_PEERS = 20;

    private StatisticsText() {}

    /** The lines, joined with line separators (no trailing one). */
    public static String lines(StatisticsEvent s, Ansi ansi) {
        StringBuilder sb = new StringBuilder();
        sb.append(ansi.bold(s.last() ? "summary" : "stats")).append(' ')
                .append(String.format(Locale.ROOT, "%.1f s", s.elapsed().toMillis() / 1000.0)).append(": ");
        boolean first = true;
        for (Map.Entry<String, Long> c : s.counters().entrySet()) {
            sb.append(first ? "" : ", ").append(c.getKey().replace('_', ' ')).append(' ').append(c.getValue());
            first = false;
        }
        // a capture file may hold thousands of connections: people get the busiest, JSON gets all
        List<StatisticsEvent.Peer> peers = s.peers();
        if (peers.size() > MAX_PEERS) {
            peers = new ArrayList<>(peers);
            peers.sort(Comparator.comparingLong((StatisticsEvent.Peer p) -> p.messagesIn() + p.messagesOut()).reversed());
        }
        for (StatisticsEvent.Peer p : peers.subList(0, Math.min(peers.size(), MAX_PEERS))) {
            sb.append(System.lineSeparator()).append("  ").append(peer(p, s, ansi));
        }
        if (peers.size() > MAX_PEERS) {
            sb.append(System.lineSeparator()).append("  ").append(ansi.dim("… and " + (peers.size() - MAX_PEERS)
                    + " more peers (all of them with --json)"));
        }
        int shown = 0;
        for (StatisticsEvent.Pending p : s.unanswered()) {
            sb.append(System.lineSeparator()).append("  ").append(ansi.yellow("unanswered: #" + p.seq()
                    + (p.identity() != null ? " from " + FrameText.identity(p.identity()) : "")
                    + (p.conn() != null ? " on " + p.conn() : "") + " sent " + TimeText.clock(p.sent())));
            shown++;
        }
        long more = s.counter("unanswered") - shown;
        if (shown > 0 && more > 0) {
            sb.append(System.lineSeparator()).append("  ").append(ansi.yellow("unanswered: " + more + " more"));
        }
        return sb.toString();
    }

    private static String peer(StatisticsEvent.Peer p, StatisticsEvent s, Ansi ansi) {
        String who = p.role() + " " + (p.conn() != null ? p.conn() + " " : "")
                + (p.identity() != null ? FrameText.identity(p.identity()) : "");
        StringBuilder sb = new StringBuilder(ansi.yellow(pad(who.strip(), 24)));
        sb.append("  in ").append(p.messagesIn()).append("  out ").append(p.messagesOut())
                .append("  ").append(p.bytesIn()).append(" B / ").append(p.bytesOut()).append(" B")
                .append(String.format(Locale.ROOT, "  %.1f msg/s", p.rate(s.elapsed())));
        StatisticsEvent.Latency l = p.latency();
        if (l.count() > 0) {
            sb.append("  latency p50 ").append(latency(l.p50Nanos())).append("  p90 ").append(latency(l.p90Nanos()))
                    .append("  p99 ").append(latency(l.p99Nanos())).append("  max ").append(latency(l.maxNanos()));
        }
        p.counters().forEach((k, v) -> sb.append("  ").append(k.replace('_', ' ')).append(' ').append(v));
        return sb.toString();
    }

    /** A latency for people: {@code 61 µs}, {@code 1.25 ms}, {@code 2.0 s}. */
    public static String latency(long nanos) {
        // by hand, not String.format: a capture file prints one per reply, millions of them
        if (nanos < 999_500) {
            return (nanos + 500) / 1000 + " µs";
        }
        if (nanos < 999_995_000) {
            return decimals((nanos + 5_000) / 10_000, 2) + " ms";
        }
        return decimals((nanos + 50_000_000) / 100_000_000, 1) + " s";
    }

    /** {@code units} with its last {@code places} digits after the point: (125, 2) is {@code 1.25}. */
    private static String decimals(long units, int places) {
        long scale = places == 1 ? 10 : 100;
        String fraction = Long.toString(units % scale);
        return units / scale + "." + "0".repeat(places - fraction.length()) + fraction;
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
