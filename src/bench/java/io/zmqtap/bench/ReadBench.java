package io.zmqtap.bench;

import io.zmqtap.ZmqTapException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code zmqtap read} against {@code tshark -r} on one capture file, side by side in one run: each
 * reader a process of its own, pinned to one core, its output sent to /dev/null, the readers taken
 * in turn round after round (A/B/A/B) so that a noisy neighbour hurts them alike. A second file,
 * the first half of the first, is read with {@code --quiet} in the same rounds: peak memory must
 * not grow with the file.
 *
 * <p>Without {@code file}, one of {@code sizeMb} MB with {@code payload}-byte requests and replies
 * is made with {@code make_pcap.py} in a temporary directory, deleted at the end.
 *
 * <p>Usage:
 * <pre>{@code
 * ReadBench.Config config = new ReadBench.Config(null, 1024, 16, 3, true, 0);
 * ReadBench.Results results = new ReadBench(config, System.err::println).run();
 * System.out.print(new ReadReport(Ansi.forMode("never")).format(results));
 * }</pre>
 */
public final class ReadBench {
    /** The heap zmqtap gets: memory must stay flat under it whatever the file size. */
    static final String HEAP = "-Xmx256m";
    /**
     * The JIT options {@code bin/zmqtap} gives {@code read} (kept in step with it; a test checks):
     * the bench runs zmqtap as users run it.
     */
    static final List<String> READ_JIT = List.of("-XX:MaxInlineLevel=6", "-XX:InlineSmallCode=1000",
            "-XX:Tier4InvocationThreshold=15000", "-XX:Tier4MinInvocationThreshold=1800", "-XX:Tier4CompileThreshold=45000");
    /**
     * The collector options {@code bin/zmqtap} gives {@code read}: the collector HotSpot picks on one
     * CPU, also on more, promoting what survives one young collection.
     */
    static final List<String> READ_GC = List.of("-XX:+UseSerialGC", "-XX:MaxTenuringThreshold=1");
    static final String TSHARK = "tshark";
    static final String ZMQTAP_MAIN = "io.zmqtap.cli.ZmqTap";

    /**
     * @param file the capture to read, or null to make one
     * @param sizeMb MB (2^20 bytes) of the file to make
     * @param payload bytes per request and reply of the file to make
     * @param rounds runs per reader; the median is reported
     * @param pin pin every reader to CPU 0 (when {@code taskset} exists)
     * @param contended CPU-bound threads in a neighbour process of their own for the whole bench (0: none):
     *     a busy host, as users often run it; the neighbours are not pinned: they float over every CPU, CPU 0 included
     */
    public record Config(Path file, int sizeMb, int payload, int rounds, boolean pin, int contended) {}

    /**
     * One way of reading the file.
     *
     * @param id short name, in the JSON
     * @param label the command as a user types it, in the table
     * @param baseline the id of the tshark reader it is compared with, or null
     * @param half true when it reads the half file
     * @param options what follows the file name
     * @param anyCpu never pinned, even when the others are: as {@code bin/zmqtap read} runs, the JIT
     *     compilers free to use another CPU
     */
    public record Reader(String id, String label, String baseline, boolean half, List<String> options, boolean anyCpu) {
        Reader(String id, String label, String baseline, boolean half, List<String> options) {
            this(id, label, baseline, half, options, false);
        }

        boolean tshark() {
            return id.startsWith(TSHARK);
        }
    }

    static final Reader QUIET = new Reader("zmqtap-quiet", "zmqtap read --quiet", "tshark-conv", false,
            List.of("--quiet"));
    static final Reader TEXT = new Reader("zmqtap-text", "zmqtap read", "tshark-text", false, List.of());
    static final Reader JSON = new Reader("zmqtap-json", "zmqtap read --json", "tshark-text", false,
            List.of("--json"));
    static final Reader TSHARK_TEXT = new Reader("tshark-text", "tshark -r", null, false, List.of());
    static final Reader TSHARK_CONV = new Reader("tshark-conv", "tshark -r -q -z conv,tcp", null, false,
            List.of("-q", "-z", "conv,tcp"));
    static final Reader QUIET_HALF = new Reader("zmqtap-quiet-half", "zmqtap read --quiet, half file", null, true,
            List.of("--quiet"));
    /** Only in a pinned run (otherwise it is {@link #QUIET}): the same read beside the pinned ones. */
    static final Reader QUIET_ANY_CPU = new Reader("zmqtap-quiet-any-cpu", "zmqtap read --quiet, not pinned", null, false,
            List.of("--quiet"), true);

    /**
     * A reader's rounds.
     *
     * @param fileBytes the size of the file it read
     */
    public record Row(Reader reader, long fileBytes, List<TimedRun.Stats> rounds) {
        public double wallSeconds() {
            return median(rounds.stream().map(TimedRun.Stats::wallSeconds));
        }

        public double cpuSeconds() {
            return median(rounds.stream().map(TimedRun.Stats::cpuSeconds));
        }

        public long peakRssKb() {
            return Math.round(median(rounds.stream().map(s -> (double) s.peakRssKb())));
        }

        /** File MB (10^6 bytes) per wall second, from the median wall time. */
        public double megabytesPerSecond() {
            return fileBytes / 1e6 / wallSeconds();
        }

        /** File MB per CPU second: the speed it would have with the core to itself. */
        public double megabytesPerCpuSecond() {
            return fileBytes / 1e6 / cpuSeconds();
        }
    }

    /**
     * A whole run.
     *
     * @param file what was read: the path given, or how the generated file was made
     * @param generated true when the file was made for the run (and deleted after)
     * @param payload the generated file's request and reply size, or 0 for a given file
     * @param pinned true when every reader ran pinned to CPU 0
     * @param contended CPU-bound neighbour threads that ran beside the readers (0: none)
     * @param tshark {@code tshark --version}'s first line, or null when tshark was not found
     * @param rows one per reader, in the order they ran
     * @param notes what was left out, and why
     */
    public record Results(Machine machine, String file, boolean generated, int payload, int rounds, boolean pinned,
            int contended, String tshark, List<Row> rows, List<String> notes) {
        public Optional<Row> row(String id) {
            return rows.stream().filter(r -> r.reader().id().equals(id)).findFirst();
        }
    }

    private final Config config;
    private final Consumer<String> progress;

    /** {@code progress} gets one line per step and per run (the command prints them to stderr). */
    public ReadBench(Config config, Consumer<String> progress) {
        this.config = config;
        this.progress = progress;
    }

    /** Makes the file if asked, runs every reader {@code rounds} times, and cleans up. */
    public Results run() throws IOException {
        Path work = Files.createTempDirectory("zmqtap-read-bench");
        try {
            return run(work);
        } finally {
            deleteTree(work);
        }
    }

    private Results run(Path work) throws IOException {
        List<String> notes = new ArrayList<>();
        Path file = config.file() != null ? config.file() : generate(work);
        if (!Files.isRegularFile(file)) {
            throw new ZmqTapException("no such file: " + file);
        }
        TimedRun timer = TimedRun.create(work, config.pin());
        if (config.pin() && !timer.pinned()) {
            notes.add("taskset not found: the readers ran unpinned, on any core");
        }
        String tshark = tsharkVersion().orElse(null);
        if (tshark == null) {
            notes.add("tshark not found: its rows are left out (Debian: apt-get install tshark)");
        }
        Path half = work.resolve("half.pcap");
        Optional<Long> halfBytes = PcapHalf.write(file, half);
        if (halfBytes.isEmpty()) {
            notes.add("not a classic pcap file: the flat-memory check (half the file) is left out");
        }
        List<Reader> readers = Stream.of(QUIET, TEXT, JSON, TSHARK_TEXT, TSHARK_CONV, QUIET_ANY_CPU, QUIET_HALF)
                .filter(r -> tshark != null || !r.tshark())
                .filter(r -> halfBytes.isPresent() || !r.half())
                .filter(r -> timer.pinned() || !r.anyCpu())
                .toList();
        long fileBytes = Files.size(file);
        List<List<TimedRun.Stats>> stats = new ArrayList<>();
        readers.forEach(r -> stats.add(new ArrayList<>()));
        try (Neighbours neighbours = Neighbours.start(config.contended())) {
            if (neighbours.threads() > 0) {
                progress.accept(Neighbours.describe(neighbours.threads()) + ", process " + neighbours.pid());
            }
            rounds(timer, readers, file, half, fileBytes, halfBytes, stats);
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < readers.size(); i++) {
            Reader r = readers.get(i);
            rows.add(new Row(r, r.half() ? halfBytes.get() : fileBytes, List.copyOf(stats.get(i))));
        }
        String described = config.file() != null ? file.toString()
                : String.format(Locale.ROOT, "make_pcap.py %d --payload %d", config.sizeMb(), config.payload());
        return new Results(Machine.current(), described, config.file() == null,
                config.file() == null ? config.payload() : 0, config.rounds(), timer.pinned(), config.contended(), tshark,
                rows, List.copyOf(notes));
    }

    /** Every reader {@code rounds} times, taking turns, each run's figures into its list in {@code stats}. */
    private void rounds(TimedRun timer, List<Reader> readers, Path file, Path half, long fileBytes, Optional<Long> halfBytes,
            List<List<TimedRun.Stats>> stats) throws IOException {
        for (int round = 1; round <= config.rounds(); round++) {
            for (int i = 0; i < readers.size(); i++) {
                Reader r = readers.get(i);
                Path input = r.half() ? half : file;
                long bytes = r.half() ? halfBytes.get() : fileBytes;
                TimedRun.Stats s = timer.run(r.label(), command(r, input), timeout(bytes), !r.anyCpu());
                stats.get(i).add(s);
                progress.accept(String.format(Locale.ROOT, "[%s] %s, round %d/%d: %.2f s, %.2f CPU s, %.1f MB/s, "
                                + "peak %,d KiB", LocalTime.now().withNano(0), r.label(), round,
                        config.rounds(), s.wallSeconds(), s.cpuSeconds(), bytes / 1e6 / s.wallSeconds(), s.peakRssKb()));
            }
        }
    }

    /** The reader's command line on {@code file}: zmqtap as its own JVM with the bench's class path. */
    static List<String> command(Reader r, Path file) {
        List<String> command = new ArrayList<>();
        if (r.tshark()) {
            command.addAll(List.of(TSHARK, "-r", file.toString()));
        } else {
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.add(HEAP);
            command.addAll(READ_JIT);
            command.addAll(READ_GC);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), ZMQTAP_MAIN, "read", file.toString()));
        }
        command.addAll(r.options());
        return command;
    }

    /** Generous: tshark reads about 4 MB/s here; the limit is only there so a hung reader cannot hang the bench. */
    private static Duration timeout(long bytes) {
        return Duration.ofSeconds(120 + bytes / 1_000_000 * 3);
    }

    private Path generate(Path work) throws IOException {
        Path script = work.resolve("make_pcap.py");
        TimedRun.copyResource("make_pcap.py", script);
        Path out = work.resolve(String.format(Locale.ROOT, "zmq-%dMB-%dB.pcap", config.sizeMb(), config.payload()));
        progress.accept("making " + out.getFileName() + " with make_pcap.py");
        Optional<Subprocess.Finished> done = Subprocess.run(List.of(LibzmqSetup.PYTHON, script.toString(),
                        out.toString(), Integer.toString(config.sizeMb()), "--payload", Integer.toString(config.payload())),
                Duration.ofSeconds(120 + 2L * config.sizeMb()));
        if (done.isEmpty() || done.get().exitValue() != 0) {
            throw new ZmqTapException("make_pcap.py could not make " + out + done.map(d -> ": exit code "
                    + d.exitValue() + ", " + d.output()).orElse(": it took too long"));
        }
        progress.accept(done.get().output());
        return out;
    }

    private static Optional<String> tsharkVersion() throws IOException {
        if (!TimedRun.onPath(TSHARK)) {
            return Optional.empty();
        }
        return Subprocess.run(List.of(TSHARK, "--version"), Duration.ofSeconds(30))
                .filter(d -> d.exitValue() == 0)
                .map(d -> d.output().lines().findFirst().orElse(TSHARK));
    }

    private static double median(Stream<Double> values) {
        List<Double> sorted = values.sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
