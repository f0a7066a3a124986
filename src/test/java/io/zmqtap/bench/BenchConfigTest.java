package io.zmqtap.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zmqtap.ZmqTapException;
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
                .isInstanceOf(ZmqTapException.class)
                .hasMessage("bad size 'big': expected bytes such as 16, 1KiB or 64KiB");
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
                .isInstanceOf(ZmqTapException.class)
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
            public Route start(String serverEndpoint) {
                throw new AssertionError("must not start");
            }
        };
        List<String> notes = new java.util.ArrayList<>();

        List<Setup> left = Setups.available(List.of(new DirectSetup(), missing), notes::add);

        assertThat(left).extracting(Setup::name).containsExactly("direct");
        assertThat(notes).containsExactly("libzmq skipped: python3-zmq is not installed");
    }

    @Test
    void labelsSayWhatWasPlayed() {
        assertThat(Load.roundTrip(16).label()).isEqualTo("REQ round trips, 16 B");
        assertThat(Load.pipelined(65536, 1000).label()).isEqualTo("DEALER pipelined, 64 KiB, window 1000");
        assertThat(Load.sizeText(1500)).isEqualTo("1500 B");
    }
}
