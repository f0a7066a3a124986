package io.zmqtap.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zmqtap.ZmqTapException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Short real bench runs on loopback: counts only, never timings. */
@Timeout(120)
class BenchTest {
    private static final List<Load> LOADS = List.of(Load.roundTrip(16), Load.pipelined(16, 10));

    /** In process, no JVM warm-up: the fastest run there is. */
    private static List<RunResult> quickRun(List<Setup> setups, StringWriter progress) {
        return run(setups, Topology.IN_PROCESS, 0, progress);
    }

    private static List<RunResult> run(List<Setup> setups, Topology topology, int contended, StringWriter progress) {
        BenchConfig config = new BenchConfig(setups, LOADS, Duration.ofMillis(100), Duration.ofMillis(200),
                Duration.ofSeconds(10), 1, topology, contended, topology == Topology.DEPLOYED ? Duration.ofMillis(300)
                        : Duration.ZERO);
        return new Bench(config, new PrintWriter(progress, true)).run();
    }

    /** Processes this JVM started, directly or not, that are still running. */
    private static Set<Long> children() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }

    private static List<Setup> setupsHere(String names) {
        return Setups.available(Setups.select(names, Optional.empty()), note -> {});
    }

    @Test
    void everySetupGetsAReplyForEveryRequestAndACaptureForEachWay() {
        List<Setup> setups = setupsHere(String.join(",", Setups.names()));
        StringWriter progress = new StringWriter();

        List<RunResult> results = quickRun(setups, progress);

        assertEveryRequestRepliedAndCapturedBothWays(results, setups, progress);
    }

    @Test
    void asDeployedBesideANeighbourTheServerAndSnifferAreProcessesAndAllAreGoneAfterwards() {
        List<Setup> setups = setupsHere("direct,zmqtap-process,libzmq");
        Set<Long> before = children();
        StringWriter progress = new StringWriter();

        List<RunResult> results = run(setups, Topology.DEPLOYED, 1, progress);

        assertEveryRequestRepliedAndCapturedBothWays(results, setups, progress);
        assertThat(progress.toString()).contains("bench: 1 CPU-bound neighbour thread, process ")
                .contains("bench: echo server and counting sniffer each in its own process (echo server process ")
                .contains("bench: warming the echo server and sniffer processes up for 0.3 s");
        assertThat(children()).as("child processes left running").isSubsetOf(before);
    }

    @Test
    void aFailingSetupStillStopsTheServerSnifferAndNeighbourProcesses() {
        Setup failing = new Setup() {
            @Override
            public String name() {
                return "failing";
            }

            @Override
            public Route start(Testbed testbed) {
                throw new ZmqTapException("failing did not start");
            }
        };
        Set<Long> before = children();

        assertThatThrownBy(() -> run(List.of(failing), Topology.DEPLOYED, 1, new StringWriter()))
                .hasMessage("failing did not start");
        assertThat(children()).as("child processes left running").isSubsetOf(before);
    }

    private static void assertEveryRequestRepliedAndCapturedBothWays(List<RunResult> results, List<Setup> setups,
            StringWriter progress) {
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
            public Route start(Testbed testbed) {
                return new Route() {
                    @Override
                    public String clientEndpoint() {
                        return testbed.serverEndpoint();
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
