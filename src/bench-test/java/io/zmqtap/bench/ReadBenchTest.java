package io.zmqtap.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zmqtap.cli.ZmqTap;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReadBenchTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = ZmqTap.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void theBenchRunsReadWithTheJitOptionsTheLauncherGivesIt() throws Exception {
        String launcher = Files.readString(Path.of("bin", "zmqtap")); // the tests run in the project's root
        assertThat(launcher).contains("if [[ \"${1:-}\" == read ]]; then\n  jit=(" + String.join(" ", ReadBench.READ_JIT)
                + ")\n");
        assertThat(launcher).contains("gc=(" + String.join(" ", ReadBench.READ_GC) + ")");
        assertThat(ReadBench.command(ReadBench.QUIET, Path.of("x.pcap"))).containsSubsequence(ReadBench.READ_JIT.get(0),
                ReadBench.READ_JIT.get(1), ReadBench.READ_GC.get(0), ReadBench.READ_GC.get(1), "read", "x.pcap");
    }

    @Test
    @Timeout(600) // a loaded two-core host: six child processes on a few MB, and tshark is slow to start
    void aTinyGeneratedFileGivesEveryReaderARowSaneNumbersAndJson(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("read.json");
        boolean tshark = TimedRun.onPath("tshark");

        int code = run("bench", "read", "--size-mb", "1", "--rounds", "1", "--color", "never", "--json", json.toString());

        assertThat(code).as(err.toString()).isZero();
        List<String> labels = new ArrayList<>(List.of("zmqtap read --quiet", "zmqtap read", "zmqtap read --json"));
        List<String> ids = new ArrayList<>(List.of("zmqtap-quiet", "zmqtap-text", "zmqtap-json"));
        if (tshark) {
            labels.addAll(List.of("tshark -r", "tshark -r -q -z conv,tcp"));
            ids.addAll(List.of("tshark-text", "tshark-conv"));
        }
        if (TimedRun.onPath("taskset")) { // pinned: the quiet read once more, on any CPU, as users run it
            labels.add("zmqtap read --quiet, not pinned");
            ids.add("zmqtap-quiet-any-cpu");
        }
        labels.add("zmqtap read --quiet, half file");
        ids.add("zmqtap-quiet-half");
        List<String> lines = out.toString().lines().toList();
        assertThat(lines.get(0)).startsWith("zmqtap read against tshark -r: make_pcap.py 1 --payload 16, ")
                .endsWith(", 1 round, " + (TimedRun.onPath("taskset") ? "pinned to CPU 0" : "not pinned"));
        assertThat(lines.get(1)).startsWith("reader ").contains("MB/s", "MB/CPU-s", "peak RSS MiB", "vs tshark");
        for (int i = 0; i < labels.size(); i++) {
            assertThat(lines.get(2 + i)).as("row %d", i).matches(Pattern.quote(labels.get(i)) + " +[0-9].*");
        }
        assertThat(out.toString()).contains("\nFlat memory: zmqtap read --quiet peaked at ");
        assertThat(out.toString()).doesNotContain("\u001b[");
        if (!tshark) {
            assertThat(out.toString()).contains("note: tshark not found");
        }
        assertThat(err.toString()).contains("making zmq-1MB-16B.pcap with make_pcap.py", "round 1/1");

        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.get("config").get("generated").asBoolean()).isTrue();
        assertThat(root.get("config").get("payload").asInt()).isEqualTo(16);
        JsonNode readers = root.get("readers");
        assertThat(readers).hasSize(ids.size());
        long fileBytes = readers.get(0).get("file_bytes").asLong();
        assertThat(fileBytes).as("the generated file").isGreaterThan(1 << 20);
        for (int i = 0; i < ids.size(); i++) {
            JsonNode r = readers.get(i);
            assertThat(r.get("reader").asText()).isEqualTo(ids.get(i));
            assertThat(r.get("rounds")).hasSize(1);
            boolean anyCpu = ids.get(i).endsWith("-any-cpu");
            assertThat(r.get("pinned").asBoolean()).as(ids.get(i)).isEqualTo(TimedRun.onPath("taskset") && !anyCpu);
            // pinned: CPU time cannot be twice the wall; on any CPU, not more than all of them
            int cpus = anyCpu ? Runtime.getRuntime().availableProcessors() : 2;
            assertThat(r.get("wall_s").asDouble()).as(ids.get(i)).isPositive()
                    .isGreaterThanOrEqualTo(r.get("cpu_s").asDouble() / cpus);
            assertThat(r.get("cpu_s").asDouble()).as(ids.get(i)).isPositive();
            assertThat(r.get("mb_per_s").asDouble()).as(ids.get(i)).isPositive();
            assertThat(r.get("mb_per_cpu_s").asDouble()).as(ids.get(i)).isGreaterThanOrEqualTo(r.get("mb_per_s").asDouble() / cpus);
            assertThat(r.get("peak_rss_kb").asLong()).as(ids.get(i)).isBetween(10_000L, 8_000_000L);
            boolean zmqtap = ids.get(i).startsWith("zmqtap");
            if (zmqtap) {
                // -Xmx256m: heap, code and metadata stay well under a gigabyte
                assertThat(r.get("peak_rss_kb").asLong()).as(ids.get(i)).isLessThan(1_000_000L);
            }
            boolean compared = tshark && zmqtap && !ids.get(i).endsWith("-half") && !anyCpu;
            assertThat(r.get("vs_tshark").isNull()).as(ids.get(i)).isEqualTo(!compared);
            if (compared) {
                assertThat(r.get("vs_tshark").asDouble()).isPositive();
                assertThat(r.get("vs_tshark_cpu").asDouble()).isPositive();
            }
        }
        long half = readers.get(ids.size() - 1).get("file_bytes").asLong();
        assertThat(half).as("the half file").isBetween(fileBytes * 2 / 5, fileBytes * 3 / 5);
        assertThat(readers.get(1).get("file_bytes").asLong()).isEqualTo(fileBytes);
    }

    @Test
    @Timeout(300)
    void aBusyHostRunsEveryReaderBesideTheNeighboursAndSaysSo(@TempDir Path dir) throws Exception {
        Path capture = dir.resolve("small.pcap");
        Files.copy(Path.of("src/test/resources/pcap/reqrep.pcap"), capture);
        Path json = dir.resolve("read.json");

        int code = run("bench", "read", "--file", capture.toString(), "--rounds", "1", "--contended", "2",
                "--color", "never", "--json", json.toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString().lines().findFirst().orElseThrow())
                .endsWith(", beside 2 CPU-bound neighbour threads");
        assertThat(err.toString()).containsPattern("2 CPU-bound neighbour threads, process [0-9]+");
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.get("config").get("contended").asInt()).isEqualTo(2);
        assertThat(root.get("readers").get(0).get("mb_per_s").asDouble()).isPositive();
        // the neighbours' process is gone with the bench
        assertThat(ProcessHandle.current().descendants().filter(p -> p.info().commandLine().orElse("")
                .contains(Neighbours.class.getName())).toList()).isEmpty();
    }

    @Test
    void badValuesAreOneLineUsageErrorsBeforeAnythingRuns() {
        assertThat(run("bench", "read", "--rounds", "0")).isEqualTo(2);
        assertThat(run("bench", "read", "--payload", "70000")).isEqualTo(2);
        assertThat(run("bench", "read", "--file", "/nonexistent/x.pcap")).isEqualTo(2);
        assertThat(run("bench", "read", "--contended", "65")).isEqualTo(2);

        assertThat(err.toString().lines()).containsExactly(
                "zmqtap: bad --rounds 0: expected at least 1",
                "zmqtap: bad --payload 70000: expected 1 to 65000 bytes",
                "zmqtap: no such file: /nonexistent/x.pcap",
                "zmqtap: bad --contended 65: expected 0 (an idle host) to 64 CPU-bound threads");
        assertThat(out.toString()).isEmpty();
    }
}
