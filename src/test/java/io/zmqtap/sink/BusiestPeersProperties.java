package io.zmqtap.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.event.StatisticsEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link StatisticsText#busiest} lists what a stable sort by messages, busiest first, lists first:
 * the same peers in the same order, ties in the order given; n peers or fewer stay as given.
 */
class BusiestPeersProperties {
    @Property(tries = 1000)
    void theFirstOfAStableSort(@ForAll("messageCounts") List<Integer> counts, @ForAll @IntRange(min = 1, max = 25) int n) {
        List<StatisticsEvent.Peer> peers = new ArrayList<>();
        for (int i = 0; i < counts.size(); i++) {
            peers.add(new StatisticsEvent.Peer("client", "c" + i, null, counts.get(i), i % 3, 0, 0,
                    StatisticsEvent.Latency.NONE, Map.of()));
        }
        List<StatisticsEvent.Peer> sorted = new ArrayList<>(peers);
        sorted.sort(Comparator.comparingLong((StatisticsEvent.Peer p) -> p.messagesIn() + p.messagesOut()).reversed());

        assertThat(StatisticsText.busiest(peers, n)).containsExactlyElementsOf(peers.size() > n ? sorted.subList(0, n) : peers);
    }

    /** Few distinct counts (many ties) or many, up to a few hundred peers. */
    @Provide
    Arbitrary<List<Integer>> messageCounts() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 100_000))
                .list().ofMaxSize(300);
    }
}
