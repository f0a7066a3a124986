package io.zmqtap.bench;

import static io.zmqtap.bench.ReportTest.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.sink.Ansi;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetsTest {
    private static final Load W100 = Load.pipelined(16, 100);
    private static final Load RT = Load.roundTrip(16);

    /** direct 200k msgs/s and 30 us RTT, libzmq 50k msgs/s and 70 us, zmqtap as given. */
    private static List<RunResult> results(long zmqtapRate, long zmqtapCaptured, double zmqtapRttUs) {
        return List.of(
                result("direct", W100, 200_000, 100, -1), result("zmqtap", W100, zmqtapRate, 150, zmqtapCaptured),
                result("libzmq", W100, 50_000, 400, 100_000),
                result("direct", RT, 20_000, 30, -1), result("zmqtap", RT, 10_000, zmqtapRttUs, 20_000),
                result("libzmq", RT, 8_000, 70, 16_000));
    }

    @Test
    void zmqtapMeetsEveryTargetWhenFastEnoughAndLossless() {
        Targets t = Targets.check(results(150_000, 300_000, 60));

        assertThat(t.checks()).extracting(Targets.Check::met).containsExactly(true, true, true, true);
        assertThat(t.format(Ansi.OFF).lines().toList()).containsExactly(
                "Targets",
                "met     zmqtap >= 1.5x libzmq, pipelined 16 B window 100: 3.00x (150,000 vs 50,000 msgs/s)",
                "met     zmqtap >= 0.5x direct, pipelined 16 B window 100: 0.75x (150,000 vs 200,000 msgs/s)",
                "met     added median RTT, REQ 16 B: zmqtap <= libzmq: zmqtap +30.0 us, libzmq +40.0 us (direct 30.0 us)",
                "met     0 capture loss, DEALER pipelined, 16 B, window 100: 300000 of 300000 captured (0% lost)");
    }

    @Test
    void aSlowLossyZmqtapMissesThemPlainly() {
        Targets t = Targets.check(results(60_000, 100_000, 90));

        assertThat(t.checks()).extracting(Targets.Check::met).containsExactly(false, false, false, false);
        assertThat(t.format(Ansi.OFF)).contains("MISSED  zmqtap >= 1.5x libzmq").contains("(16.7% lost)");
    }

    @Test
    void theTapIsHeldToItsOwnTargets() {
        List<RunResult> runs = List.of(
                result("direct", W100, 200_000, 100, -1), result("tap", W100, 170_000, 120, 340_000),
                result("direct", RT, 20_000, 30, -1), result("tap", RT, 15_000, 85, 30_000));

        Targets t = Targets.check(runs);

        assertThat(t.format(Ansi.OFF).lines().toList()).containsExactly(
                "Targets",
                "met     tap >= 0.8x direct, pipelined 16 B window 100: 0.85x (170,000 vs 200,000 msgs/s)",
                "MISSED  added median RTT, REQ 16 B: tap <= +50 us: tap +55.0 us (direct 30.0 us)");
    }

    @Test
    void aStalledSnifferMayCostTheQueueAtMostATenth() {
        List<RunResult> runs = List.of(
                result("zmqtap", W100, 200_000, 100, -1), result("zmqtap-stalled", W100, 185_000, 110, -1));
        List<RunResult> slower = List.of(
                result("zmqtap", W100, 200_000, 100, -1), result("zmqtap-stalled", W100, 170_000, 120, -1));

        assertThat(Targets.check(runs).format(Ansi.OFF).lines().toList()).containsExactly(
                "Targets",
                "met     stalled sniffer >= 0.9x zmqtap, pipelined 16 B window 100: 0.93x (185,000 vs 200,000 msgs/s)");
        assertThat(Targets.check(slower).checks()).extracting(Targets.Check::met).containsExactly(false);
    }

    @Test
    void targetsWithoutTheirRunsAreLeftOut() {
        Targets t = Targets.check(List.of(result("direct", W100, 200_000, 100, -1)));

        assertThat(t.checks()).isEmpty();
        assertThat(t.format(Ansi.OFF)).isEmpty();
    }
}
