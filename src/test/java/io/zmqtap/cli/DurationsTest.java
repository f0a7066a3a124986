package io.zmqtap.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zmqtap.BadValueException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void unitsAreMicrosecondsMillisecondsSecondsMinutesOrHours() {
        assertThat(Durations.parse("--busy-poll", "100us")).isEqualTo(Duration.ofNanos(100_000));
        assertThat(Durations.parse("--busy-poll", "50\u00b5s")).isEqualTo(Duration.ofNanos(50_000));
        assertThat(Durations.parse("--busy-poll", "50\u03bcs")).isEqualTo(Duration.ofNanos(50_000));
        assertThat(Durations.parse("--duration", "250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("--duration", "3s")).isEqualTo(Duration.ofSeconds(3));
        assertThat(Durations.parse("--duration", "1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("--stats", "2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("--stats", "1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("--stats", " 5 S ")).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void zeroNeedsNoUnit() {
        assertThat(Durations.parse("--busy-poll", "0")).isEqualTo(Duration.ZERO);
        assertThat(Durations.parse("--busy-poll", "0ms")).isEqualTo(Duration.ZERO);
    }

    @Test
    void anyOtherBareNumberIsRefusedWithTheUnitsItMayHaveMeant() {
        assertThatThrownBy(() -> Durations.parse("--stats", "5"))
                .isInstanceOf(BadValueException.class)
                .hasMessage("bad --stats '5': add a unit, e.g. 5s or 5ms");
        assertThatThrownBy(() -> Durations.parse("--timeout", "3000"))
                .hasMessage("bad --timeout '3000': add a unit, e.g. 3000s or 3000ms");
        assertThatThrownBy(() -> Durations.parse("--duration", "1.5"))
                .hasMessage("bad --duration '1.5': add a unit, e.g. 1.5s or 1.5ms");
    }

    @Test
    void anythingElseIsAOneLineErrorNamingTheOption() {
        assertThatThrownBy(() -> Durations.parse("--warmup", "soon"))
                .isInstanceOf(BadValueException.class)
                .hasMessage("bad --warmup 'soon': expected e.g. 3s, 500ms or 100us");
        assertThatThrownBy(() -> Durations.parse("--busy-poll", "-5us"))
                .hasMessage("bad --busy-poll '-5us': expected e.g. 3s, 500ms or 100us");
        assertThatThrownBy(() -> Durations.parse("--stats", "5 seconds"))
                .hasMessage("bad --stats '5 seconds': expected e.g. 3s, 500ms or 100us");
        assertThatThrownBy(() -> Durations.parse("--stats", "99999999999h"))
                .hasMessage("bad --stats '99999999999h': too long");
    }
}
