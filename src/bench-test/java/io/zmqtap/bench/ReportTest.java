package io.zmqtap.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.sink.Ansi;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {
    static final Load LOAD = Load.pipelined(16, 100);

    /** A result with {@code rate} replies per second over exactly one second. */
    static RunResult result(String setup, Load load, long rate, double p50, long captured) {
        Measurement m = new Measurement(rate, rate, 1_000_000_000L, p50, p50 * 2, p50 * 3);
        return new RunResult(setup, load, m, captured, List.of((double) rate));
    }

    static List<RunResult> sample() {
        return List.of(
                result("direct", LOAD, 200_000, 100, -1),
                result("zmqtap", LOAD, 150_000, 200, 300_000),
                result("libzmq", LOAD, 50_000, 400, 99_000));
    }

    @Test
    void ratiosHaveTwoDecimalsBelowTenOneBelowAHundredAndNoneAbove() {
        assertThat(Report.ratio(1.5)).isEqualTo("1.50x");
        assertThat(Report.ratio(0.754)).isEqualTo("0.75x");
        assertThat(Report.ratio(12.34)).isEqualTo("12.3x");
        assertThat(Report.ratio(123.4)).isEqualTo("123x");
        assertThat(Report.ratio(Double.NaN)).isEqualTo("-");
    }

    @Test
    void percentagesKeepSmallLossesVisible() {
        assertThat(Report.percent(0)).isEqualTo("0%");
        assertThat(Report.percent(0.0125)).isEqualTo("0.013%");
        assertThat(Report.percent(1)).isEqualTo("1.00%");
        assertThat(Report.percent(45.12)).isEqualTo("45.1%");
    }

    @Test
    void eachRowShowsItsRateAsRatiosToDirectAndToLibzmq() {
        String text = new Report(Ansi.OFF).tables(sample());

        assertThat(text.lines().toList()).containsExactly(
                "DEALER pipelined, 16 B, window 100",
                "setup    msgs/s  MB/s  p50 us  p99 us  p99.9 us    sent  received  lost  captured   loss  vs direct  vs libzmq",
                "direct  200,000  3.20   100.0   200.0     300.0  200000    200000     0         -      -      1.00x      4.00x",
                "zmqtap  150,000  2.40   200.0   400.0     600.0  150000    150000     0    300000     0%      0.75x      3.00x",
                "libzmq   50,000  0.80   400.0   800.0    1200.0   50000     50000     0     99000  1.00%      0.25x      1.00x");
    }

    @Test
    void ratiosAreDashesWhenTheBaselineDidNotRun() {
        String text = new Report(Ansi.OFF).tables(List.of(result("zmqtap", LOAD, 1000, 50, 2000)));

        assertThat(text.lines().skip(2).findFirst().orElseThrow()).endsWith("-          -");
    }

    @Test
    void colourAddsEscapesButNeverMovesAColumn() {
        String coloured = new Report(Ansi.ON).tables(sample());
        String plain = new Report(Ansi.OFF).tables(sample());

        assertThat(coloured).contains("\u001b[32m4.00x\u001b[0m").contains("\u001b[31m1.00%\u001b[0m");
        assertThat(coloured.replaceAll("\u001b\\[[0-9;]*m", "")).isEqualTo(plain);
    }

    @Test
    void theHeadlineIsZmqtapAsDeployedBesideDirectAndLibzmqAtTheTargetsLoads() {
        Load rt = Load.roundTrip(16);
        List<RunResult> results = List.of(
                result("direct", rt, 10_000, 50, -1), result("zmqtap-process", rt, 8_000, 60, 16_000),
                result("zmqtap", rt, 9_000, 55, 18_000), result("libzmq", rt, 4_000, 200, 8_000),
                result("direct", Load.pipelined(1024, 100), 100_000, 500, -1),
                result("direct", LOAD, 200_000, 100, -1), result("zmqtap-process", LOAD, 120_000, 160, 240_000),
                result("libzmq", LOAD, 50_000, 400, 100_000));

        String text = new Report(Ansi.OFF).headline(results, new Conditions(Topology.DEPLOYED, 2));

        assertThat(text.lines().filter(l -> !l.startsWith("setup")).map(l -> l.split(" {2,}")[0]).toList())
                .containsExactly("Headline: zmqtap as deployed, 2 CPU-bound neighbour threads",
                        "REQ round trips, 16 B", "direct", "zmqtap-process", "libzmq", "",
                        "DEALER pipelined, 16 B, window 100", "direct", "zmqtap-process", "libzmq");
        assertThat(text).contains("zmqtap-process  120,000");
    }

    @Test
    void thereIsNoHeadlineInProcessOrWithoutTheQueueAsItsOwnProcess() {
        List<RunResult> withQueue = List.of(result("direct", LOAD, 200_000, 100, -1),
                result("zmqtap-process", LOAD, 120_000, 160, 240_000));

        assertThat(new Report(Ansi.OFF).headline(withQueue, new Conditions(Topology.IN_PROCESS, 0))).isEmpty();
        assertThat(new Report(Ansi.OFF).headline(sample(), new Conditions(Topology.DEPLOYED, 0))).isEmpty();
    }

    @Test
    void oneTablePerLoadInTheOrderTheResultsCame() {
        Load rt = Load.roundTrip(1024);
        String text = new Report(Ansi.OFF).tables(List.of(
                result("direct", rt, 10, 1, -1), result("direct", LOAD, 10, 1, -1), result("zmqtap", rt, 5, 2, 10)));

        assertThat(text.lines().filter(l -> !l.startsWith("setup") && !l.startsWith("direct")
                && !l.startsWith("zmqtap")).toList())
                .containsExactly("REQ round trips, 1 KiB", "", "DEALER pipelined, 16 B, window 100");
    }
}
