package io.zmqtap.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NoticesTest {
    private static final long SECOND = 1_000_000_000L;
    private final List<String> lines = new ArrayList<>();
    private long now;
    private final Notices notices = new Notices(lines::add, 2, 10 * SECOND, () -> now);

    @Test
    void theFirstFewOfAKindAreShownAndTheRestSummedUpWhenTheWindowEnds() {
        for (int i = 0; i < 2000; i++) {
            notices.report("frontend: dropped (timeout)", "frontend: dropped 127.0.0.1:" + i + " (timeout)");
        }
        assertThat(lines).containsExactly("frontend: dropped 127.0.0.1:0 (timeout)", "frontend: dropped 127.0.0.1:1 (timeout)");
        now += 9 * SECOND;
        notices.tick();
        assertThat(lines).hasSize(2);
        now += SECOND;
        notices.tick();
        assertThat(lines).last().isEqualTo("frontend: dropped (timeout) … and 1,998 more like this in the last 10 s");
        assertThat(notices.total()).isEqualTo(2000);
        assertThat(notices.counts()).isEqualTo(Map.of("frontend: dropped (timeout)", 2000L));
    }

    @Test
    void kindsAreCountedApartAndANewWindowShowsAgain() {
        notices.report("a", "a1");
        notices.report("b", "b1");
        notices.report("a", "a2");
        notices.report("a", "a3");
        now += 11 * SECOND;
        notices.report("a", "a4");
        assertThat(lines).containsExactly("a1", "b1", "a2", "a … and 1 more like this in the last 10 s", "a4");
    }

    @Test
    void flushSumsUpAtOnceWithTheTimeSoFar() {
        for (int i = 0; i < 5; i++) {
            notices.report("k", "k" + i);
        }
        now += 3 * SECOND;
        notices.flush();
        assertThat(lines).containsExactly("k0", "k1", "k … and 3 more like this in the last 3 s");
        notices.flush();
        assertThat(lines).hasSize(3);
    }
}
