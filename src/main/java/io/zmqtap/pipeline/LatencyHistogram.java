package io.zmqtap.pipeline;

import io.zmqtap.event.StatisticsEvent;
import java.util.Arrays;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.HistogramIterationValue;
import org.HdrHistogram.PackedHistogram;

/**
 * One peer's reply latencies, as an HdrHistogram of 2 significant digits from 1 µs (nanoseconds,
 * growing past an hour by itself) reports them, but kept as a short sorted list of the buckets
 * seen until there are {@link #SPARSE_BUCKETS} of them, and only then in a {@link PackedHistogram}.
 *
 * <p>Why: a capture file's summary holds thousands of peers, and a peer's replies mostly fall in a
 * few buckets. A packed histogram finds a count through its index tree on every record and walks
 * every bucket below a percentile to find it: reading 10,000 peers' percentiles at the end of a
 * file was a seventh of a warm {@code read --quiet}, recording another 6 %. The list records with
 * a compare or two and answers percentiles from its few entries; the bucket arithmetic is the
 * library's own ({@code lowestEquivalentValue}, {@code highestEquivalentValue}), and percentiles
 * follow {@link AbstractHistogram#getValueAtPercentile}'s rule, so the figures are the same as the
 * histogram's (a property test holds them to it).
 *
 * <p>Usage: {@code h.record(61_000); StatisticsEvent.Latency l = h.summary();}
 */
final class LatencyHistogram {
    /** Buckets kept as a list at most; the next one moves them into a packed histogram. */
    static final int SPARSE_BUCKETS = 64;
    private static final long LOWEST = 1_000;
    private static final long HIGHEST = 3_600_000_000_000L;
    private static final int DIGITS = 2;
    /** Bucket arithmetic only (it depends on the shape, not on counts): never recorded into. */
    private static final AbstractHistogram SHAPE = new PackedHistogram(LOWEST, HIGHEST, DIGITS);

    /** Each bucket's lowest equivalent value, ascending; then its count. Null once packed. */
    private long[] buckets = new long[4];
    private long[] counts = new long[4];
    private int size;
    private int last;
    private long total;
    private long max;
    private PackedHistogram packed;

    /** One latency, in nanoseconds (a negative one counts as 0). */
    void record(long nanos) {
        long value = Math.max(0, nanos);
        total++;
        max = Math.max(max, value);
        if (packed != null) {
            packed.recordValue(value);
            return;
        }
        long bucket = SHAPE.lowestEquivalentValue(value);
        if (size > 0 && buckets[last] == bucket) { // replies in a row mostly land in the same bucket
            counts[last]++;
            return;
        }
        int at = Arrays.binarySearch(buckets, 0, size, bucket);
        if (at >= 0) {
            counts[at]++;
            last = at;
            return;
        }
        if (size == SPARSE_BUCKETS) {
            pack();
            packed.recordValue(value);
            return;
        }
        insert(-at - 1, bucket);
    }

    /** Count, 50th, 90th and 99th percentiles and maximum, as {@link StatisticsEvent.Latency}. */
    StatisticsEvent.Latency summary() {
        if (total == 0) {
            return StatisticsEvent.Latency.NONE;
        }
        long maxShown = max == 0 ? 0 : SHAPE.highestEquivalentValue(max); // as getMaxValue(): 0 stays 0
        if (packed != null) {
            return packedSummary(maxShown);
        }
        return new StatisticsEvent.Latency(total, percentile(50), percentile(90), percentile(99), maxShown);
    }

    /**
     * The three percentiles in one walk of the packed histogram's recorded buckets, where
     * {@code getValueAtPercentile} walks from the first bucket for each.
     */
    private StatisticsEvent.Latency packedSummary(long maxShown) {
        long[] countAt = {countAt(50), countAt(90), countAt(99)};
        long[] value = new long[3];
        int next = 0;
        long running = 0;
        for (HistogramIterationValue v : packed.recordedValues()) {
            running += v.getCountAtValueIteratedTo();
            while (next < 3 && running >= countAt[next]) {
                value[next++] = v.getValueIteratedTo();
            }
            if (next == 3) {
                break;
            }
        }
        return new StatisticsEvent.Latency(total, value[0], value[1], value[2], maxShown);
    }

    /** How many values lie at or below a percentile, by {@link AbstractHistogram#getValueAtPercentile}'s rule. */
    private long countAt(double percentile) {
        double requested = Math.min(Math.max(Math.nextAfter(percentile, Double.NEGATIVE_INFINITY), 0.0), 100.0);
        return Math.max(1, (long) Math.ceil(requested * total / 100.0));
    }

    /** As {@link AbstractHistogram#getValueAtPercentile} (for a percentile above 0), over the list. */
    private long percentile(double percentile) {
        long countAt = countAt(percentile);
        long running = 0;
        for (int i = 0; i < size; i++) {
            running += counts[i];
            if (running >= countAt) {
                return SHAPE.highestEquivalentValue(buckets[i]);
            }
        }
        return SHAPE.highestEquivalentValue(buckets[size - 1]);
    }

    private void insert(int at, long bucket) {
        if (size == buckets.length) {
            buckets = Arrays.copyOf(buckets, Math.min(SPARSE_BUCKETS, size * 2));
            counts = Arrays.copyOf(counts, buckets.length);
        }
        System.arraycopy(buckets, at, buckets, at + 1, size - at);
        System.arraycopy(counts, at, counts, at + 1, size - at);
        buckets[at] = bucket;
        counts[at] = 1;
        last = at;
        size++;
    }

    private void pack() {
        packed = new PackedHistogram(LOWEST, HIGHEST, DIGITS);
        packed.setAutoResize(true);
        for (int i = 0; i < size; i++) {
            packed.recordValueWithCount(buckets[i], counts[i]);
        }
        buckets = null;
        counts = null;
    }
}
