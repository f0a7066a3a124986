package io.zmqtap.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Short real bench runs on loopback: counts only, never timings. */
@Timeout(120)
class BenchTest {
    private static final List<Load> LOADS = List.of(Load.roundTrip(16), Load.pipelined(16, 10));

    private static List<RunResult> quickRun(List<Setup> setups, StringWriter progress) {
        BenchConfig config = new BenchConfig(setups, LOADS, Duration.ofMillis(100), Duration.ofMillis(200),
                Duration.ofSeconds(10), 1);
        return new Bench(config, new PrintWriter(progress, true)).run();
    }

    private static List<Setup> setupsHere(String names) {
        return Setups.available(Setups.select(names, Optional.empty()), note -> {});
    }

    @Test
    void everySetupGetsAReplyForEveryRequestAndACaptureForEachWay() {
        List<Setup> setups = setupsHere(String.join(",", Setups.names()));
        StringWriter progress = new StringWriter();

        List<RunResult> results = quickRun(setups, progress);

        assertThat(results).hasSize(LOADS.size() * setups.size());
        for (RunResult r : results) {
            Measurement m = r.measurement();
            assertThat(m.sent()).as("%s %s sent", r.setup(), r.load()).isPositive();
            assertThat(m.received()).as("%s %s received", r.setup(), r.load()).isEqualTo(m.sent());
            assertThat(r.roundRates()).hasSize(1);
            if (r.setup().equals("direct") || r.setup().equals(Report.STALLED)) {
                // no capture counted: none, or a sniffer that never reads
                assertThat(r.hasCapture()).isFalse();
            } else {
                // one capture per request and one per reply
                assertThat(r.captured()).as("%s %s captured", r.setup(), r.load()).isEqualTo(m.sent() * 2);
                assertThat(r.captureLossPercent()).isZero();
            }
        }
        // one line per measured run (plus a note for any client the bench had to reconnect)
        assertThat(progress.toString().lines().filter(line -> line.startsWith("["))).hasSize(results.size());
    }

    @Test
    void resultsComeGroupedByLoadThenSetupInTheOrderAsked() {
        List<RunResult> results = quickRun(setupsHere("jeromq-proxy,direct"), new StringWriter());

        List<String> order = new ArrayList<>();
        results.forEach(r -> order.add(r.load().kind().code() + " " + r.setup()));
        assertThat(order).containsExactly("req jeromq-proxy", "req direct", "dealer jeromq-proxy", "dealer direct");
    }

    @Test
    void capturesTheProxyItselfDroppedArePrintedUnderItsRun() {
        // a direct route that claims a capture feed, whose proxy says it dropped 7 captures
        Setup claiming = new Setup() {
            @Override
            public String name() {
                return "dropping";
            }

            @Override
            public Route start(String serverEndpoint) {
                return new Route() {
                    @Override
                    public String clientEndpoint() {
                        return serverEndpoint;
                    }

                    @Override
                    public boolean captures() {
                        return true;
                    }

                    @Override
                    public long captured() {
                        return 1;
                    }

                    @Override
                    public long settleCaptures(long expected) {
                        return expected;
                    }

                    @Override
                    public long proxyDropped() {
                        return 7;
                    }

                    @Override
                    public void close() {
                        // nothing was started
                    }
                };
            }
        };
        StringWriter progress = new StringWriter();

        quickRun(List.of(claiming), progress);

        assertThat(progress.toString().lines().filter(l -> l.contains("dropped and counted")))
                .containsExactly("  REQ round trips, 16 B, dropping: the proxy dropped and counted 7 captures (warm-up included)",
                        "  DEALER pipelined, 16 B, window 10, dropping: the proxy dropped and counted 7 captures (warm-up included)");
    }
}
