package io.zmqtap.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchJsonTest {
    private static final Machine MACHINE = new Machine(2, "AMD EPYC", "OpenJDK 17", "4.3.4", 0.5);
    private static final BenchConfig CONFIG = new BenchConfig(List.of(), List.of(), Duration.ofMillis(500),
            Duration.ofSeconds(3), Duration.ofSeconds(8), 3, Topology.DEPLOYED, 2, Duration.ofSeconds(4));

    private static JsonNode write(List<RunResult> results) throws Exception {
        return new ObjectMapper().readTree(BenchJson.toJson(MACHINE, CONFIG, results));
    }

    @Test
    void aPipelinedCaptureRunHasEveryFieldScriptsReadWithTheRightValues() throws Exception {
        Measurement m = new Measurement(300, 298, 500_000_000L, 12.25, 40.5, 99.0);
        RunResult r = new RunResult("zmqtap", Load.pipelined(1024, 100), m, 590, List.of(500.0, 596.0, 610.0));

        JsonNode run = write(List.of(r)).get("runs").get(0);

        assertThat(run.get("setup").asText()).isEqualTo("zmqtap");
        assertThat(run.get("load").asText()).isEqualTo("dealer");
        assertThat(run.get("size").asInt()).isEqualTo(1024);
        assertThat(run.get("window").asInt()).isEqualTo(100);
        assertThat(run.get("msgs_per_s").asDouble()).isEqualTo(596.0);
        assertThat(run.get("mb_per_s").asDouble()).isEqualTo(0.61);
        assertThat(run.get("rtt_p50_us").asDouble()).isEqualTo(12.3);
        assertThat(run.get("rtt_p99_us").asDouble()).isEqualTo(40.5);
        assertThat(run.get("rtt_p999_us").asDouble()).isEqualTo(99.0);
        assertThat(run.get("sent").asLong()).isEqualTo(300);
        assertThat(run.get("received").asLong()).isEqualTo(298);
        assertThat(run.get("lost").asLong()).isEqualTo(2);
        assertThat(run.get("captured").asLong()).isEqualTo(590);
        assertThat(run.get("capture_loss_pct").asDouble()).isEqualTo(1.3378);
        assertThat(run.get("rounds_msgs_per_s")).extracting(JsonNode::asDouble).containsExactly(500.0, 596.0, 610.0);
    }

    @Test
    void roundTripsHaveWindowOneAndSetupsWithoutCaptureHaveNulls() throws Exception {
        Measurement m = new Measurement(10, 10, 1_000_000_000L, 30, 40, 50);
        RunResult r = new RunResult("direct", Load.roundTrip(16), m, -1, List.of(10.0));

        JsonNode run = write(List.of(r)).get("runs").get(0);

        assertThat(run.get("load").asText()).isEqualTo("req");
        assertThat(run.get("window").asInt()).isEqualTo(1);
        assertThat(run.get("captured").isNull()).isTrue();
        assertThat(run.get("capture_loss_pct").isNull()).isTrue();
    }

    @Test
    void theDocumentRecordsWhereTheServerAndSnifferRanAndHowBusyTheHostWas() throws Exception {
        JsonNode config = write(List.of()).get("config");

        assertThat(config.get("topology").asText()).isEqualTo("deployed");
        assertThat(config.get("contended").asInt()).isEqualTo(2);
    }

    @Test
    void theDocumentRecordsTheMachineAndTheRunLength() throws Exception {
        JsonNode root = write(List.of());

        assertThat(root.fieldNames()).toIterable().containsExactly("machine", "config", "runs");
        assertThat(root.get("machine").get("cpus").asInt()).isEqualTo(2);
        assertThat(root.get("machine").get("cpu_model").asText()).isEqualTo("AMD EPYC");
        assertThat(root.get("machine").get("libzmq").asText()).isEqualTo("4.3.4");
        assertThat(root.get("machine").get("load_average").asDouble()).isEqualTo(0.5);
        assertThat(root.get("config").get("duration_s").asDouble()).isEqualTo(3.0);
        assertThat(root.get("config").get("warmup_s").asDouble()).isEqualTo(0.5);
        assertThat(root.get("config").get("rounds").asInt()).isEqualTo(3);
        assertThat(root.get("config").get("jvm_warmup_s").asDouble()).isEqualTo(4.0);
        assertThat(root.get("runs").isArray()).isTrue();
    }
}
