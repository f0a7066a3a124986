package io.zmqtap.bench;

import io.zmqtap.sink.Ansi;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Formats bench results as one text table per load, with each setup's rate as a ratio to
 * {@code direct} and to {@code libzmq}; and the headline, the same tables cut down to zmqtap as
 * deployed and its two baselines at the targets' loads.
 *
 * <pre>
 * DEALER pipelined, 16 B, window 100
 * setup            msgs/s    MB/s  p50 us  p99 us  p99.9 us     sent  received  lost  captured   loss  vs direct  vs libzmq
 * direct          180,512    2.89   540.0   880.0    1020.0   541600    541600     0         -      -      1.00x      2.89x
 * zmqtap          101,233    1.62   ...
 * </pre>
 *
 * <p>Usage:
 * <pre>{@code
 * Report report = new Report(Ansi.forMode("auto"));
 * out.print(report.tables(results));
 * out.print(report.headline(results, Conditions.of(config)));
 * }</pre>
 */
public final class Report {
    /** The baselines ratios are taken against. */
    public static final String DIRECT = "direct";
    public static final String LIBZMQ = "libzmq";
    public static final String ZMQTAP = "zmqtap";
    /** zmqtap's queue as its own process: as deployed, the headline. */
    public static final String ZMQTAP_PROCESS = "zmqtap-process";
    public static final String TAP = "tap";
    public static final String STALLED = "zmqtap-stalled";

    private final Ansi ansi;

    public Report(Ansi ansi) {
        this.ansi = ansi;
    }

    /** One table per load, in the order the results came. */
    public String tables(List<RunResult> results) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Load, List<RunResult>> e : byLoad(results).entrySet()) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append(ansi.bold(e.getKey().label())).append('\n');
            sb.append(table(e.getValue()));
        }
        return sb.toString();
    }

    /**
     * The headline: {@code direct}, {@code zmqtap-process} and {@code libzmq} at the targets' loads
     * (REQ 16 B, pipelined 16 B window 100), under a heading naming the conditions:
     * <pre>
     * Headline: zmqtap as deployed, 2 CPU-bound neighbour threads
     * REQ round trips, 16 B
     * setup  ...
     * </pre>
     * Empty unless the run was as deployed and {@code zmqtap-process} ran (a queue in the bench's JVM,
     * or a server and sniffer that share it, is not the headline), and when the tables show nothing
     * else anyway.
     */
    public String headline(List<RunResult> results, Conditions conditions) {
        List<String> setups = List.of(DIRECT, ZMQTAP_PROCESS, LIBZMQ);
        List<Load> loads = List.of(Targets.ROUND_TRIP_16, Targets.PIPELINED_16_W100);
        List<RunResult> rows = results.stream()
                .filter(r -> setups.contains(r.setup()) && loads.contains(r.load()))
                .toList();
        if (!conditions.deployed() || rows.stream().noneMatch(r -> r.setup().equals(ZMQTAP_PROCESS))
                || rows.size() == results.size()) {
            return "";
        }
        return ansi.bold("Headline: zmqtap " + conditions.label()) + "\n" + tables(rows);
    }

    private static Map<Load, List<RunResult>> byLoad(List<RunResult> results) {
        Map<Load, List<RunResult>> map = new LinkedHashMap<>();
        for (RunResult r : results) {
            map.computeIfAbsent(r.load(), k -> new ArrayList<>()).add(r);
        }
        return map;
    }

    private String table(List<RunResult> rows) {
        Optional<RunResult> direct = find(rows, DIRECT);
        Optional<RunResult> libzmq = find(rows, LIBZMQ);
        List<Column> columns = List.of(
                new Column("setup", false, r -> plain(r.setup())),
                new Column("msgs/s", true, r -> plain(String.format(Locale.ROOT, "%,.0f", r.messagesPerSecond()))),
                new Column("MB/s", true, r -> plain(String.format(Locale.ROOT, "%.2f", r.megabytesPerSecond()))),
                new Column("p50 us", true, r -> plain(micros(r.measurement().rttP50Us()))),
                new Column("p99 us", true, r -> plain(micros(r.measurement().rttP99Us()))),
                new Column("p99.9 us", true, r -> plain(micros(r.measurement().rttP999Us()))),
                new Column("sent", true, r -> plain(Long.toString(r.measurement().sent()))),
                new Column("received", true, r -> plain(Long.toString(r.measurement().received()))),
                new Column("lost", true, r -> lost(r.measurement().lost())),
                new Column("captured", true, r -> plain(r.hasCapture() ? Long.toString(r.captured()) : "-")),
                new Column("loss", true, this::captureLoss),
                new Column("vs direct", true, r -> ratioCell(r, direct)),
                new Column("vs libzmq", true, r -> ratioCell(r, libzmq)));
        List<List<Cell>> cells = new ArrayList<>();
        for (RunResult r : rows) {
            List<Cell> line = new ArrayList<>();
            columns.forEach(c -> line.add(c.value().apply(r)));
            cells.add(line);
        }
        int[] widths = new int[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            widths[i] = columns.get(i).title().length();
            for (List<Cell> line : cells) {
                widths[i] = Math.max(widths[i], line.get(i).text().length());
            }
        }
        StringBuilder sb = new StringBuilder();
        List<Cell> header = columns.stream().map(c -> new Cell(c.title(), ansi::dim)).toList();
        appendLine(sb, columns, widths, header);
        cells.forEach(line -> appendLine(sb, columns, widths, line));
        return sb.toString();
    }

    private static void appendLine(StringBuilder sb, List<Column> columns, int[] widths, List<Cell> line) {
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                sb.append("  ");
            }
            String text = line.get(i).text();
            String pad = " ".repeat(widths[i] - text.length());
            // Pad before colouring so escape codes never throw the columns off.
            String coloured = line.get(i).colour().apply(text);
            sb.append(columns.get(i).right() ? pad + coloured : coloured + (i == columns.size() - 1 ? "" : pad));
        }
        sb.append('\n');
    }

    private Cell ratioCell(RunResult r, Optional<RunResult> base) {
        if (base.isEmpty() || base.get().messagesPerSecond() <= 0) {
            return plain("-");
        }
        double ratio = r.messagesPerSecond() / base.get().messagesPerSecond();
        Function<String, String> colour = ratio >= 1.0 ? ansi::green : ratio >= 0.5 ? ansi::yellow : ansi::red;
        return new Cell(ratio(ratio), colour);
    }

    private Cell captureLoss(RunResult r) {
        double loss = r.captureLossPercent();
        if (Double.isNaN(loss)) {
            return plain("-");
        }
        return new Cell(percent(loss), loss == 0 ? ansi::green : ansi::red);
    }

    private Cell lost(long lost) {
        return new Cell(Long.toString(lost), lost == 0 ? Function.identity() : ansi::red);
    }

    /** {@code 1.52x}: two decimals below 10, one up to 100, none above. */
    public static String ratio(double ratio) {
        if (Double.isNaN(ratio) || Double.isInfinite(ratio)) {
            return "-";
        }
        String digits = ratio < 10 ? "%.2fx" : ratio < 100 ? "%.1fx" : "%.0fx";
        return String.format(Locale.ROOT, digits, ratio);
    }

    /** {@code 0%}, {@code 0.013%}, {@code 12.5%}. */
    public static String percent(double p) {
        if (p == 0) {
            return "0%";
        }
        return String.format(Locale.ROOT, p < 0.1 ? "%.3f%%" : p < 10 ? "%.2f%%" : "%.1f%%", p);
    }

    private static String micros(double us) {
        return Double.isNaN(us) ? "-" : String.format(Locale.ROOT, "%.1f", us);
    }

    static Optional<RunResult> find(List<RunResult> rows, String setup) {
        return rows.stream().filter(r -> r.setup().equals(setup)).findFirst();
    }

    private static Cell plain(String text) {
        return new Cell(text, Function.identity());
    }

    private record Column(String title, boolean right, Function<RunResult, Cell> value) {}

    private record Cell(String text, Function<String, String> colour) {}
}
