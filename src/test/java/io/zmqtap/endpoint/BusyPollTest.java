package io.zmqtap.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class BusyPollTest {
    /** The tests' own host load: whatever the machine running them is doing, these pollers may spin. */
    private static final BooleanSupplier IDLE_HOST = () -> false;

    @Test
    void onACrowdedHostItNeverSpins() {
        AtomicInteger checks = new AtomicInteger();
        BusyPoll poll = BusyPoll.of(Duration.ofHours(1), () -> true);

        assertThat(poll.await(() -> checks.incrementAndGet() == 5)).isFalse();
        assertThat(checks).hasValue(1);
        assertThat(poll.enabled()).isTrue();
    }

    @Test
    void theHostIsCrowdedWhenOnAverageAsManyOtherThreadsAsCpusWantToRun() {
        assertThat(HostLoad.parse("0.42 0.30 0.21 3/456 7890")).isEqualTo(3);
        assertThat(HostLoad.parse("garbage")).isEqualTo(-1);
        double others = 0;
        for (int i = 0; i < 10; i++) {
            others = HostLoad.average(others, 3 - 1); // a two-CPU host: the proxy, the client, and a CPU hog
        }
        assertThat(HostLoad.isCrowded(others, 2)).isTrue();
        for (int i = 0; i < 10; i++) {
            others = HostLoad.average(others, 1); // the proxy and its client only
        }
        assertThat(HostLoad.isCrowded(others, 2)).isFalse();
        assertThat(HostLoad.runnable()).as("this machine's count").isPositive();
    }

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
        BusyPoll poll = BusyPoll.of(Duration.ofHours(1), IDLE_HOST);

        assertThat(poll.await(() -> checks.incrementAndGet() == 5)).isTrue();
        assertThat(checks).hasValue(5);
    }

    @Test
    void inputAlreadyThereIsSeenWithoutPolling() {
        AtomicInteger checks = new AtomicInteger();

        assertThat(BusyPoll.of(Duration.ofHours(1), IDLE_HOST).await(() -> checks.incrementAndGet() > 0)).isTrue();
        assertThat(checks).hasValue(1);
    }

    @Test
    void noInputWithinTheSpellMeansSleep() {
        AtomicInteger checks = new AtomicInteger();
        BusyPoll poll = BusyPoll.of(Duration.ofNanos(200_000), IDLE_HOST);

        assertThat(poll.await(() -> {
            checks.incrementAndGet();
            return false;
        })).isFalse();
        assertThat(checks.get()).isGreaterThan(1);
        assertThat(poll.spell()).isEqualTo(Duration.ofNanos(200_000));
    }

    @Test
    void afterMissesItSkipsMoreSpellsUntilOneFindsInput() {
        BusyPoll poll = BusyPoll.of(Duration.ofNanos(20_000), IDLE_HOST);
        AtomicInteger checks = new AtomicInteger();
        BooleanSupplier never = () -> {
            checks.incrementAndGet();
            return false;
        };

        assertThat(poll.await(never)).isFalse(); // a miss: polled for the spell
        assertThat(checks.get()).isGreaterThan(1);
        assertThat(checksOf(poll, never, checks)).isEqualTo(1); // skipped: one check, no polling
        assertThat(checksOf(poll, never, checks)).isGreaterThan(1); // polls again, misses again
        for (int i = 0; i < 3; i++) {
            assertThat(checksOf(poll, never, checks)).as("skip %d after two misses", i).isEqualTo(1);
        }
        // A hit on the spell's first poll: the spell always polls once, however late the thread
        // gets the CPU back from yield(), so this cannot miss on a loaded machine (a later poll can).
        AtomicInteger late = new AtomicInteger();
        assertThat(poll.await(() -> late.incrementAndGet() == 2)).isTrue();
        assertThat(checksOf(poll, never, checks)).as("polls at once after a hit").isGreaterThan(1);
    }

    private static int checksOf(BusyPoll poll, BooleanSupplier ready, AtomicInteger checks) {
        checks.set(0);
        poll.await(ready);
        return checks.get();
    }

    @Test
    void aNegativeSpellIsRejected() {
        assertThatThrownBy(() -> BusyPoll.of(Duration.ofNanos(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be negative");
    }
}
