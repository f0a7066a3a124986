package io.zmqtap.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.event.StatisticsEvent;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.HdrHistogram.PackedHistogram;

/**
 * {@link LatencyHistogram} reports what an HdrHistogram of the same shape reports for the same
 * values, whether it still keeps a list of buckets or has moved to a packed histogram.
 */
class LatencyHistogramProperties {
    @Property(tries = 2000)
    void sameSummaryAsAPackedHistogram(@ForAll("latencies") List<Long> nanos) {
        LatencyHistogram ours = new LatencyHistogram();
        PackedHistogram reference = new PackedHistogram(1_000, 3_600_000_000_000L, 2);
        reference.setAutoResize(true);
        for (long n : nanos) {
            ours.record(n);
            reference.recordValue(Math.max(0, n));
        }
        StatisticsEvent.Latency expected = nanos.isEmpty() ? StatisticsEvent.Latency.NONE
                : new StatisticsEvent.Latency(reference.getTotalCount(), reference.getValueAtPercentile(50),
                        reference.getValueAtPercentile(90), reference.getValueAtPercentile(99), reference.getMaxValue());
        assertThat(ours.summary()).isEqualTo(expected);
    }

    /** Clustered (a few buckets: the list), spread (many: packed), tiny, negative and past an hour. */
    @Provide
    Arbitrary<List<Long>> latencies() {
        Arbitrary<Long> clustered = Arbitraries.longs().between(1_390_000, 1_420_000);
        Arbitrary<Long> spread = Arbitraries.longs().between(0, 10_000_000_000L);
        Arbitrary<Long> edges = Arbitraries.of(-5L, 0L, 1L, 511L, 512L, 999L, 1_000L, 1_023L, 1_024L,
                3_600_000_000_000L, 7_200_000_000_001L);
        Arbitrary<Long> one = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, clustered), net.jqwik.api.Tuple.of(3, spread), net.jqwik.api.Tuple.of(1, edges));
        return one.list().ofMinSize(0).ofMaxSize(300);
    }
}
