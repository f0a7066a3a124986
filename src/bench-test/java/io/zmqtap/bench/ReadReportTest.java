package io.zmqtap.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zmqtap.sink.Ansi;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadReportTest {
    private static final Machine MACHINE = new Machine(2, "test CPU", "17", "4.3.4", 0.5);

    @Test
    void theQuietReadsSplitIntoAFixedPartAndASteadyRate() throws Exception {
        // 1,000 MB in 4 s and 500 MB in 3 s: the second 500 MB took 1 s, so 500 MB/s and 2 s fixed
        ReadBench.Results results = results(4.0, 3.0);

        ReadReport.Split split = ReadReport.split(results).orElseThrow();

        assertThat(split.steadyMegabytesPerSecond()).isCloseTo(500.0, within(1e-9));
        assertThat(split.fixedSeconds()).isCloseTo(2.0, within(1e-9));
        assertThat(new ReadReport(Ansi.OFF).format(results)).contains("\nStart-up and steady rate: zmqtap read --quiet "
                + "spends 2.00 s whatever the file's size (start, JIT warm-up, summary), then reads 500.0 MB/s "
                + "(from the whole and the half file)\n");
        JsonNode json = new ObjectMapper().readTree(ReadReport.toJson(results)).get("quiet_split");
        assertThat(json.get("fixed_s").asDouble()).isEqualTo(2.0);
        assertThat(json.get("steady_mb_per_s").asDouble()).isEqualTo(500.0);
    }

    @Test
    void noSplitWhenTheWholeFileWasNotSlowerThanItsHalf() throws Exception {
        ReadBench.Results results = results(3.0, 3.2); // a noisy host

        assertThat(ReadReport.split(results)).isEmpty();
        assertThat(new ReadReport(Ansi.OFF).format(results)).doesNotContain("steady rate");
        assertThat(new ObjectMapper().readTree(ReadReport.toJson(results)).get("quiet_split").isNull()).isTrue();
    }

    private static ReadBench.Results results(double wholeSeconds, double halfSeconds) {
        ReadBench.Row whole = new ReadBench.Row(ReadBench.QUIET, 1_000_000_000L,
                List.of(new TimedRun.Stats(wholeSeconds, wholeSeconds, 0.1, 150_000)));
        ReadBench.Row half = new ReadBench.Row(ReadBench.QUIET_HALF, 500_000_000L,
                List.of(new TimedRun.Stats(halfSeconds, halfSeconds, 0.1, 140_000)));
        return new ReadBench.Results(MACHINE, "x.pcap", false, 0, 1, true, 0, null, List.of(whole, half), List.of());
    }
}
