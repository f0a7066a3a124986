package io.zmqtap.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BusyPollTest {
    @Test
    void offChecksOnceAndNeverPolls() {
        AtomicInteger checks = new AtomicInteger();

        assertThat(BusyPoll.OFF.await(() -> checks.incrementAndGet() > 1)).isFalse();
        assertThat(checks).hasValue(1);
        assertThat(BusyPoll.OFF.enabled()).isFalse();
        assertThat(BusyPoll.of(Duration.ZERO)).isSameAs(BusyPoll.OFF);
    }

    @Test
    void inputThatArrivesDuringTheSpellEndsItEarly() {
        AtomicInteger checks = new AtomicInteger();
        // A spell far longer than any test would wait: only the input can end it.
        BusyPoll poll = BusyPoll.of(Duration.ofHours(1));

        assertThat(poll.await(() -> checks.incrementAndGet() == 5)).isTrue();
        assertThat(checks).hasValue(5);
    }

    @Test
    void inputAlreadyThereIsSeenWithoutPolling() {
        AtomicInteger checks = new AtomicInteger();

        assertThat(BusyPoll.of(Duration.ofHours(1)).await(() -> checks.incrementAndGet() > 0)).isTrue();
        assertThat(checks).hasValue(1);
    }

    @Test
    void noInputWithinTheSpellMeansSleep() {
        AtomicInteger checks = new AtomicInteger();
        BusyPoll poll = BusyPoll.of(Duration.ofNanos(200_000));

        assertThat(poll.await(() -> {
            checks.incrementAndGet();
            return false;
        })).isFalse();
        assertThat(checks.get()).isGreaterThan(1);
        assertThat(poll.spell()).isEqualTo(Duration.ofNanos(200_000));
    }

    @Test
    void aNegativeSpellIsRejected() {
        assertThatThrownBy(() -> BusyPoll.of(Duration.ofNanos(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be negative");
    }
}
