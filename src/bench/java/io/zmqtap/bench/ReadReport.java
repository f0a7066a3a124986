package io.zmqtap.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zmqtap.sink.Ansi;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * {@link ReadBench}'s results as a table (medians of the rounds, each zmqtap mode as a ratio to the
 * matching tshark one), a flat-memory line and the quiet read's split into a fixed part and a steady
 * rate, or as JSON.
 *
 * <pre>
 * zmqtap read against tshark -r: make_pcap.py 1024 --payload 16, 1,073.7 MB, 3 rounds, pinned to CPU 0
 * reader                           MB/s  MB/CPU-s  wall s   CPU s  peak RSS MiB  vs tshark  vs tshark, CPU
 * zmqtap read --quiet              ...
 * tshark -r -q -z conv,tcp         ...
 *
 * Flat memory: zmqtap read --quiet peaked at 301.2 MiB on 1,073.7 MB, 298.0 MiB on 536.9 MB (1.01x)
 * Start-up and steady rate: zmqtap read --quiet spends 2.27 s whatever the file's size (…), then reads 472.0 MB/s (…)
 * </pre>
 * MB are 10^6 bytes; peak RSS is in MiB. {@code vs tshark} divides zmqtap's MB/s by tshark's in the
 * matching mode (--quiet by {@code -q -z conv,tcp}, one line per message by one line per packet).
 *
 * <p>Usage: {@code out.print(new ReadReport(Ansi.forMode("auto")).format(results));}
 */
public final class ReadReport {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Ansi ansi;

    public ReadReport(Ansi ansi) {
        this.ansi = ansi;
    }

    /** The heading, the table, the flat-memory line and the notes. */
    public String format(ReadBench.Results results) {
        StringBuilder sb = new StringBuilder();
        ReadBench.Row first = results.rows().get(0);
        sb.append(ansi.bold(String.format(Locale.ROOT, "zmqtap read against tshark -r: %s, %,.1f MB, %d round%s, %s",
                results.file(), first.fileBytes() / 1e6, results.rounds(), results.rounds() == 1 ? "" : "s",
                (results.pinned() ? "pinned to CPU 0" : "not pinned")
                        + (results.contended() > 0 ? ", beside " + Neighbours.describe(results.contended()) : "")))).append('\n');
        sb.append(table(results));
        flatMemory(results).ifPresent(line -> sb.append('\n').append(line).append('\n'));
        split(results).ifPresent(split -> sb.append(String.format(Locale.ROOT, "Start-up and steady rate: zmqtap read "
                + "--quiet spends %.2f s whatever the file's size (start, JIT warm-up, summary), then reads %,.1f MB/s "
                + "(from the whole and the half file)", split.fixedSeconds(), split.steadyMegabytesPerSecond())).append('\n'));
        if (results.tshark() != null) {
            sb.append(ansi.dim(results.tshark())).append('\n');
        }
        results.notes().forEach(n -> sb.append("note: ").append(n).append('\n'));
        return sb.toString();
    }

    /** {@code Flat memory: zmqtap read --quiet peaked at 301.2 MiB on 1,073.7 MB, 298.0 MiB on 536.9 MB (1.01x)} */
    Optional<String> flatMemory(ReadBench.Results results) {
        Optional<ReadBench.Row> full = results.row(ReadBench.QUIET.id());
        Optional<ReadBench.Row> half = results.row(ReadBench.QUIET_HALF.id());
        if (full.isEmpty() || half.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "Flat memory: zmqtap read --quiet peaked at %s MiB on %,.1f MB, "
                        + "%s MiB on %,.1f MB (%s)", mib(full.get().peakRssKb()), full.get().fileBytes() / 1e6,
                mib(half.get().peakRssKb()), half.get().fileBytes() / 1e6,
                Report.ratio((double) full.get().peakRssKb() / half.get().peakRssKb())));
    }

    /**
     * A run's wall time taken as a part that does not grow with the file and a rate for the rest.
     *
     * @param fixedSeconds start-up, the JIT's warm-up and the summary: the wall time at zero bytes
     * @param steadyMegabytesPerSecond MB per second once warm: what the second half of the file took
     */
    record Split(double fixedSeconds, double steadyMegabytesPerSecond) {}

    /**
     * The whole file's and the half file's {@code --quiet} reads as fixed seconds plus a steady rate
     * (a line through the two), so that one sees whether a short file's rate is the decoding or the
     * warming up; empty without both rows, or when the whole file did not take longer (a noisy host).
     */
    static Optional<Split> split(ReadBench.Results results) {
        Optional<ReadBench.Row> full = results.row(ReadBench.QUIET.id());
        Optional<ReadBench.Row> half = results.row(ReadBench.QUIET_HALF.id());
        if (full.isEmpty() || half.isEmpty()) {
            return Optional.empty();
        }
        double extraMb = (full.get().fileBytes() - half.get().fileBytes()) / 1e6;
        double extraSeconds = full.get().wallSeconds() - half.get().wallSeconds();
        if (extraMb <= 0 || extraSeconds <= 0) {
            return Optional.empty();
        }
        double steady = extraMb / extraSeconds;
        double fixed = full.get().wallSeconds() - full.get().fileBytes() / 1e6 / steady;
        return fixed < 0 ? Optional.empty() : Optional.of(new Split(fixed, steady));
    }

    private String table(ReadBench.Results results) {
        List<Column> columns = List.of(
                new Column("reader", false, (row, res) -> plain(row.reader().label())),
                new Column("MB/s", true, (row, res) -> plain(fixed(row.megabytesPerSecond()))),
                new Column("MB/CPU-s", true, (row, res) -> plain(fixed(row.megabytesPerCpuSecond()))),
                new Column("wall s", true, (row, res) -> plain(fixed(row.wallSeconds()))),
                new Column("CPU s", true, (row, res) -> plain(fixed(row.cpuSeconds()))),
                new Column("peak RSS MiB", true, (row, res) -> plain(mib(row.peakRssKb()))),
                new Column("vs tshark", true, (row, res) -> ratio(row, res, ReadBench.Row::megabytesPerSecond)),
                new Column("vs tshark, CPU", true, (row, res) -> ratio(row, res, ReadBench.Row::megabytesPerCpuSecond)));
        List<List<Cell>> lines = new ArrayList<>();
        lines.add(columns.stream().map(c -> new Cell(c.title(), ansi::dim)).toList());
        for (ReadBench.Row row : results.rows()) {
            lines.add(columns.stream().map(c -> c.value().apply(row, results)).toList());
        }
        int[] widths = new int[columns.size()];
        for (List<Cell> line : lines) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], line.get(i).text().length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (List<Cell> line : lines) {
            for (int i = 0; i < widths.length; i++) {
                String text = line.get(i).text();
                String pad = " ".repeat(widths[i] - text.length());
                String coloured = line.get(i).colour().apply(text); // padded outside the escape codes
                sb.append(i > 0 ? "  " : "").append(columns.get(i).right() ? pad + coloured
                        : coloured + (i == widths.length - 1 ? "" : pad));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private Cell ratio(ReadBench.Row row, ReadBench.Results results, Function<ReadBench.Row, Double> rate) {
        Optional<Double> r = vsTshark(row, results, rate);
        if (r.isEmpty()) {
            return plain("-");
        }
        Function<String, String> colour = r.get() >= 1.0 ? ansi::green : ansi::red;
        return new Cell(Report.ratio(r.get()), colour);
    }

    /** zmqtap's rate over the matching tshark reader's, when both ran. */
    static Optional<Double> vsTshark(ReadBench.Row row, ReadBench.Results results,
            Function<ReadBench.Row, Double> rate) {
        if (row.reader().baseline() == null) {
            return Optional.empty();
        }
        return results.row(row.reader().baseline()).map(base -> rate.apply(row) / rate.apply(base));
    }

    /** The results as JSON: machine, conditions, one object per reader with its medians and every round. */
    public static String toJson(ReadBench.Results results) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode m = root.putObject("machine");
        m.put("cpus", results.machine().cpus());
        m.put("cpu_model", results.machine().cpuModel());
        m.put("java", results.machine().java());
        m.put("load_average", results.machine().loadAverage());
        ObjectNode c = root.putObject("config");
        c.put("file", results.file());
        c.put("generated", results.generated());
        if (results.generated()) {
            c.put("payload", results.payload());
        }
        c.put("rounds", results.rounds());
        c.put("pinned", results.pinned());
        c.put("contended", results.contended());
        c.put("heap", ReadBench.HEAP);
        c.put("jit", String.join(" ", ReadBench.READ_JIT));
        c.put("gc", String.join(" ", ReadBench.READ_GC));
        c.put("tshark", results.tshark());
        ArrayNode runs = root.putArray("readers");
        for (ReadBench.Row row : results.rows()) {
            ObjectNode o = runs.addObject();
            o.put("reader", row.reader().id());
            o.put("command", row.reader().label());
            o.put("pinned", results.pinned() && !row.reader().anyCpu());
            o.put("file_bytes", row.fileBytes());
            o.put("mb_per_s", round(row.megabytesPerSecond(), 3));
            o.put("mb_per_cpu_s", round(row.megabytesPerCpuSecond(), 3));
            o.put("wall_s", round(row.wallSeconds(), 3));
            o.put("cpu_s", round(row.cpuSeconds(), 3));
            o.put("peak_rss_kb", row.peakRssKb());
            vsTshark(row, results, ReadBench.Row::megabytesPerSecond)
                    .ifPresentOrElse(r -> o.put("vs_tshark", round(r, 3)), () -> o.putNull("vs_tshark"));
            vsTshark(row, results, ReadBench.Row::megabytesPerCpuSecond)
                    .ifPresentOrElse(r -> o.put("vs_tshark_cpu", round(r, 3)), () -> o.putNull("vs_tshark_cpu"));
            ArrayNode rounds = o.putArray("rounds");
            for (TimedRun.Stats s : row.rounds()) {
                ObjectNode r = rounds.addObject();
                r.put("wall_s", round(s.wallSeconds(), 3));
                r.put("user_s", round(s.userSeconds(), 3));
                r.put("sys_s", round(s.systemSeconds(), 3));
                r.put("peak_rss_kb", s.peakRssKb());
            }
        }
        split(results).ifPresentOrElse(split -> {
            ObjectNode o = root.putObject("quiet_split");
            o.put("fixed_s", round(split.fixedSeconds(), 3));
            o.put("steady_mb_per_s", round(split.steadyMegabytesPerSecond(), 3));
        }, () -> root.putNull("quiet_split"));
        ArrayNode notes = root.putArray("notes");
        results.notes().forEach(notes::add);
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write read bench JSON", e);
        }
    }

    private static String fixed(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, v < 100 ? "%.2f" : "%,.1f", v) : "-";
    }

    private static String mib(long kb) {
        return String.format(Locale.ROOT, "%,.1f", kb / 1024.0);
    }

    private static double round(double v, int decimals) {
        double scale = Math.pow(10, decimals);
        return Double.isFinite(v) ? Math.round(v * scale) / scale : v;
    }

    private static Cell plain(String text) {
        return new Cell(text, Function.identity());
    }

    private record Column(String title, boolean right, BiFunction<ReadBench.Row,
            ReadBench.Results, Cell> value) {}

    private record Cell(String text, Function<String, String> colour) {}
}
