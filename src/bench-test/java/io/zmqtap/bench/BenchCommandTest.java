package io.zmqtap.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zmqtap.cli.ZmqTap;
import io.zmqtap.testing.CommandList;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(60)
class BenchCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = ZmqTap.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void withTheBenchJarOnTheClassPathZmqtapListsBenchInOneSentence() {
        List<String> entry = CommandList.of(ZmqTap.commandLine()).get("bench");

        assertThat(entry).as("zmqtap --help lists bench on one line").hasSize(1);
        assertThat(entry.get(0).length()).isLessThanOrEqualTo(CommandList.COLUMNS);
        assertThat(CommandList.summary(entry, "bench")).endsWith(".");
    }

    @Test
    void aTinyDirectRunPrintsTablesToStdoutProgressToStderrAndWritesJson(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench.json");

        int code = run("bench", "--setups", "direct", "--sizes", "16", "--windows", "10", "--duration", "100ms",
                "--warmup", "50ms", "--rounds", "1", "--topology", "in-process", "--color", "never",
                "--json", json.toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("zmqtap bench, in process, idle host (echo server and counting sniffer "
                        + "as threads of the bench's JVM)\n")
                .contains("REQ round trips, 16 B\n").contains("DEALER pipelined, 16 B, window 10\n")
                .doesNotContain("\u001b[").doesNotContain("Targets").doesNotContain("Headline");
        assertThat(err.toString().lines().filter(l -> l.startsWith("[")))
                .hasSize(2).allSatisfy(l -> assertThat(l).contains(", direct, round 1/1: "));
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.get("config").get("topology").asText()).isEqualTo("in-process");
        assertThat(root.get("config").get("contended").asInt()).isZero();
        JsonNode runs = root.get("runs");
        assertThat(runs).hasSize(2);
        assertThat(runs.get(0).get("window").asInt()).isEqualTo(1);
        assertThat(runs.get(1).get("window").asInt()).isEqualTo(10);
        assertThat(runs.get(1).get("received").asLong()).isEqualTo(runs.get(1).get("sent").asLong()).isPositive();
    }

    @Test
    void asDeployedBesideANeighbourTheHeadlineAndTheQueuesTargetsArePrinted() {
        // the queue in the bench's JVM is left out of the headline; without libzmq, the targets say what they need
        int code = run("bench", "--setups", "direct,zmqtap-process,zmqtap", "--sizes", "16", "--windows", "100",
                "--duration", "100ms", "--warmup", "50ms", "--jvm-warmup", "200ms", "--rounds", "1", "--contended", "1",
                "--color", "never");

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("zmqtap bench, as deployed, 1 CPU-bound neighbour thread (")
                .contains("\nHeadline: zmqtap as deployed, 1 CPU-bound neighbour thread\nREQ round trips, 16 B\n")
                .contains("\nTargets (as deployed, 1 CPU-bound neighbour thread)\n"
                        + "note    the queue's targets need direct, zmqtap-process and libzmq in one run\n");
        assertThat(out.toString().substring(out.toString().indexOf("Headline"))).doesNotContain("\nzmqtap ");
        assertThat(err.toString()).contains("bench: 1 CPU-bound neighbour thread, process ");
    }

    @Test
    void badTopologiesAndContentionAreOneLineUsageErrors() {
        assertThat(run("bench", "--topology", "cloud")).isEqualTo(2);
        assertThat(run("bench", "--contended", "-1")).isEqualTo(2);
        assertThat(run("bench", "--jvm-warmup", "soon")).isEqualTo(2);

        assertThat(err.toString().lines()).containsExactly(
                "zmqtap: bad --topology 'cloud': expected deployed or in-process",
                "zmqtap: bad --contended -1: expected 0 (an idle host) to 64 CPU-bound threads",
                "zmqtap: bad --jvm-warmup 'soon': expected e.g. 3s, 500ms or 100us");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void anUnknownSetupIsAOneLineError() {
        int code = run("bench", "--setups", "direct,nope", "--quick");

        assertThat(code).as("a usage error").isEqualTo(2);
        assertThat(err.toString()).startsWith("zmqtap: unknown setup 'nope': expected some of direct, ");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aBadDurationIsAOneLineError() {
        int code = run("bench", "--duration", "forever");

        assertThat(code).as("a usage error").isEqualTo(2);
        assertThat(err.toString()).isEqualTo("zmqtap: bad --duration 'forever': expected e.g. 3s, 500ms or 100us\n");
    }
}
