package io.zmqtap.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zmqtap.BadValueException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BenchConfigTest {
    @Test
    void sizesAcceptBytesAndBinaryMultiples() {
        assertThat(BenchConfig.parseSizes("16, 1KiB,64k,2m,100b")).containsExactly(16, 1024, 65536, 2097152, 100);
    }

    @Test
    void aBadSizeNamesItselfAndTheExpectedForm() {
        assertThatThrownBy(() -> BenchConfig.parseSizes("16,big"))
                .isInstanceOf(BadValueException.class)
                .hasMessage("bad --sizes 'big': expected a size such as 4096, 64KiB or 256MiB");
    }

    @Test
    void windowsMustBePositiveNumbers() {
        assertThat(BenchConfig.parseWindows("100,1000")).containsExactly(100, 1000);
        assertThatThrownBy(() -> BenchConfig.parseWindows("0"))
                .hasMessage("bad window '0': expected a number from 1 to 1000000");
    }

    @Test
    void roundTripsAtEverySizeComeBeforePipelinedRunsAtEverySizeAndWindow() {
        assertThat(BenchConfig.loads(List.of(16, 1024), List.of(100, 1000))).containsExactly(
                Load.roundTrip(16), Load.roundTrip(1024),
                Load.pipelined(16, 100), Load.pipelined(16, 1000),
                Load.pipelined(1024, 100), Load.pipelined(1024, 1000));
    }

    @Test
    void unknownSetupsAreAOneLineErrorListingTheKnownOnes() {
        assertThatThrownBy(() -> Setups.select("direct,zmq", Optional.empty()))
                .isInstanceOf(BadValueException.class)
                .hasMessage("unknown setup 'zmq': expected some of " + String.join(", ", Setups.names()));
    }

    @Test
    void setupsComeInTheOrderNamedWithoutRepeats() {
        assertThat(Setups.select("jeromq-proxy, direct,jeromq-proxy", Optional.empty())).extracting(Setup::name)
                .containsExactly("jeromq-proxy", "direct");
    }

    @Test
    void aSetupThatCannotRunHereIsLeftOutWithItsOneLineNote() {
        Setup missing = new Setup() {
            @Override
            public String name() {
                return "libzmq";
            }

            @Override
            public java.util.Optional<String> unavailable() {
                return java.util.Optional.of("libzmq skipped: python3-zmq is not installed");
            }

            @Override
            public Route start(Testbed testbed) {
                throw new AssertionError("must not start");
            }
        };
        List<String> notes = new java.util.ArrayList<>();

        List<Setup> left = Setups.available(List.of(new DirectSetup(), missing), notes::add);

        assertThat(left).extracting(Setup::name).containsExactly("direct");
        assertThat(notes).containsExactly("libzmq skipped: python3-zmq is not installed");
    }

    @Test
    void theDefaultSetupsAreEveryKnownOneWithZmqtapAsDeployedRightAfterDirect() {
        assertThat(Setups.DEFAULT).containsExactlyInAnyOrderElementsOf(Setups.names());
        assertThat(Setups.DEFAULT.subList(0, 2)).containsExactly("direct", "zmqtap-process");
    }

    @Test
    void onlyASetupThatStartsAJvmWarmsUpForTheJvmWarmUp() {
        BenchConfig config = config(Duration.ofSeconds(1), Duration.ofSeconds(4));
        BenchConfig longer = config(Duration.ofSeconds(5), Duration.ofSeconds(4));

        assertThat(config.warmupOf(new ZmqtapProcessSetup(Optional.empty()))).isEqualTo(Duration.ofSeconds(4));
        assertThat(config.warmupOf(new DirectSetup())).isEqualTo(Duration.ofSeconds(1));
        assertThat(longer.warmupOf(new ZmqtapProcessSetup(Optional.empty()))).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void topologiesAreNamedAsOnTheCommandLine() {
        assertThat(Topology.parse(" Deployed")).isEqualTo(Topology.DEPLOYED);
        assertThat(Topology.parse("in-process")).isEqualTo(Topology.IN_PROCESS);
        assertThatThrownBy(() -> Topology.parse("cloud"))
                .isInstanceOf(BadValueException.class)
                .hasMessage("bad --topology 'cloud': expected deployed or in-process");
    }

    @Test
    void contentionIsZeroToSixtyFourThreads() {
        assertThat(Neighbours.check(0)).isZero();
        assertThat(Neighbours.check(64)).isEqualTo(64);
        assertThatThrownBy(() -> Neighbours.check(-1))
                .isInstanceOf(BadValueException.class)
                .hasMessage("bad --contended -1: expected 0 (an idle host) to 64 CPU-bound threads");
        assertThatThrownBy(() -> config(Duration.ZERO, Duration.ZERO, 65)).isInstanceOf(BadValueException.class);
    }

    @Test
    void conditionsNameWhereTheServerRanAndHowBusyTheHostWas() {
        assertThat(new Conditions(Topology.DEPLOYED, 0).label()).isEqualTo("as deployed, idle host");
        assertThat(new Conditions(Topology.DEPLOYED, 1).label()).isEqualTo("as deployed, 1 CPU-bound neighbour thread");
        assertThat(new Conditions(Topology.IN_PROCESS, 2).label()).isEqualTo("in process, 2 CPU-bound neighbour threads");
        assertThat(Conditions.of(config(Duration.ZERO, Duration.ZERO, 2))).isEqualTo(new Conditions(Topology.DEPLOYED, 2));
    }

    private static BenchConfig config(Duration warmup, Duration jvmWarmup) {
        return config(warmup, jvmWarmup, 0);
    }

    private static BenchConfig config(Duration warmup, Duration jvmWarmup, int contended) {
        return new BenchConfig(List.of(), List.of(), warmup, Duration.ofSeconds(3), Duration.ofSeconds(8), 1,
                Topology.DEPLOYED, contended, jvmWarmup);
    }

    @Test
    void labelsSayWhatWasPlayed() {
        assertThat(Load.roundTrip(16).label()).isEqualTo("REQ round trips, 16 B");
        assertThat(Load.pipelined(65536, 1000).label()).isEqualTo("DEALER pipelined, 64 KiB, window 1000");
        assertThat(Load.sizeText(1500)).isEqualTo("1500 B");
    }
}
