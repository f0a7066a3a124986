package io.zmqtap.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zmqtap.ZmqTapException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void aBareNumberIsSecondsAndUnitsAreSecondsMillisecondsOrMicroseconds() {
        assertThat(Durations.parse("--duration", "3")).isEqualTo(Duration.ofSeconds(3));
        assertThat(Durations.parse("--duration", "1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("--duration", "250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("--busy-poll", "100us")).isEqualTo(Duration.ofNanos(100_000));
        assertThat(Durations.parse("--busy-poll", "50µs")).isEqualTo(Duration.ofNanos(50_000));
        assertThat(Durations.parse("--busy-poll", "0")).isEqualTo(Duration.ZERO);
    }

    @Test
    void anythingElseIsAOneLineErrorNamingTheOption() {
        assertThatThrownBy(() -> Durations.parse("--warmup", "soon"))
                .isInstanceOf(ZmqTapException.class)
                .hasMessage("bad --warmup 'soon': expected e.g. 3s, 500ms or 100us");
        assertThatThrownBy(() -> Durations.parse("--busy-poll", "-5us"))
                .hasMessage("bad --busy-poll '-5us': expected e.g. 3s, 500ms or 100us");
    }
}
