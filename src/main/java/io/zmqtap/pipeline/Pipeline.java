package io.zmqtap.pipeline;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.Sink;
import io.zmqtap.event.StatisticsEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Between one source and its sinks: takes events without ever blocking the source, pairs replies
 * with their requests, keeps the statistics, and hands every event to each sink in order, with a
 * {@link StatisticsEvent} every {@code statsEvery} and a last one when closed.
 *
 * <pre>{@code
 * try (Pipeline p = Pipeline.builder("tcp://127.0.0.1:4444")
 *         .sink(new ConsoleSink(out))
 *         .statsEvery(Duration.ofSeconds(5))
 *         .counters(() -> Map.of("connections", tap.statistics().connections()))
 *         .start()) {
 *     p.accept(event);       // from the source's thread(s): never blocks, drops and counts when full
 * }                          // drains, then the last statistics go to the sinks
 * }</pre>
 *
 * <p>(A first cut: events go to the sinks on the caller's thread; the bounded hand-off, correlation
 * and statistics come next.)
 */
public final class Pipeline implements Sink {
    private final String source;
    private final List<Sink> sinks;
    private final Sink statsSink;
    private final Supplier<Map<String, Long>> counters;
    private final long startedNanos = System.nanoTime();

    private Pipeline(Builder b) {
        this.source = b.source;
        this.sinks = List.copyOf(b.sinks);
        this.statsSink = b.statsSink;
        this.counters = b.counters;
    }

    /** A pipeline for {@code source}, the name its statistics events carry. */
    public static Builder builder(String source) {
        return new Builder(source);
    }

    /** Takes an event from the source; never blocks. */
    @Override
    public synchronized void accept(CaptureEvent event) {
        for (Sink s : sinks) {
            s.accept(event);
        }
    }

    /** Events lost because the sinks could not keep up. */
    public long dropped() {
        return 0;
    }

    /** The statistics now, as the next running summary would show them. */
    public StatisticsEvent statistics(boolean last) {
        Map<String, Long> c = new LinkedHashMap<>(counters.get());
        return new StatisticsEvent(Instant.now(), source, null, last, Duration.ofNanos(System.nanoTime() - startedNanos),
                c, List.of(), List.of());
    }

    /** Delivers what waits, sends the last statistics to the sinks and closes them. */
    @Override
    public synchronized void close() {
        StatisticsEvent last = statistics(true);
        if (statsSink != null) {
            statsSink.accept(last);
        } else {
            for (Sink s : sinks) {
                s.accept(last);
            }
        }
        for (Sink s : sinks) {
            s.close();
        }
    }

    /** Settings for a {@link Pipeline}. */
    public static final class Builder {
        private final String source;
        private final List<Sink> sinks = new ArrayList<>();
        private Supplier<Map<String, Long>> counters = Map::of;
        private Duration statsEvery = Duration.ZERO;
        private boolean correlate = true;
        private Sink statsSink;

        private Builder(String source) {
            this.source = Objects.requireNonNull(source);
        }

        /** Adds a sink; each gets every event, in order. */
        public Builder sink(Sink sink) {
            sinks.add(Objects.requireNonNull(sink));
            return this;
        }

        /** The source's own counts (connections, drops, ...), added to every statistics event. */
        public Builder counters(Supplier<Map<String, Long>> counters) {
            this.counters = Objects.requireNonNull(counters);
            return this;
        }

        /** A running {@link StatisticsEvent} this often; zero (the default) for the last one only. */
        public Builder statsEvery(Duration every) {
            this.statsEvery = Objects.requireNonNull(every);
            return this;
        }

        /**
         * Where statistics events go instead of the sinks, e.g. a console on stderr while traffic goes
         * to stdout; by default to every sink.
         */
        public Builder statsSink(Sink sink) {
            this.statsSink = Objects.requireNonNull(sink);
            return this;
        }

        /** Pair replies with requests (the default). */
        public Builder correlate(boolean on) {
            this.correlate = on;
            return this;
        }

        public Pipeline start() {
            return new Pipeline(this);
        }
    }
}
