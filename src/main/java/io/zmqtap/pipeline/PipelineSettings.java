package io.zmqtap.pipeline;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.Sink;
import io.zmqtap.event.StatisticsEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The settings of a {@link Pipeline.Builder}, each with its default and its check. Users see these
 * methods through {@link Pipeline#builder(String)}; the pipeline reads the fields.
 */
abstract class PipelineSettings {
    final String source;
    final List<Sink> sinks = new ArrayList<>();
    Supplier<Map<String, Long>> counters = Map::of;
    Duration statsEvery = Duration.ZERO;
    boolean correlate = true;
    Sink statsSink;
    int queueEvents = 65_536;
    /** 64 MiB, or an eighth of the heap when that is less: the pipeline must not be what exhausts it. */
    long queueBytes = Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 8);
    Duration closeTimeout = Duration.ofSeconds(5);
    boolean waitWhenFull;
    boolean inline;
    boolean confined;
    boolean eventTime;
    int maxPending = 100_000;
    int maxPeers = 10_000;
    LongSupplier clock = System::nanoTime;
    Predicate<CaptureEvent> filter;

    PipelineSettings(String source) {
        this.source = Objects.requireNonNull(source);
    }

    abstract Pipeline.Builder self();

    /** Adds a sink; each gets every event, in order. */
    public Pipeline.Builder sink(Sink sink) {
        sinks.add(Objects.requireNonNull(sink));
        return self();
    }

    /** The source's own counts (connections, drops, ...), added to every statistics event; called from any thread. */
    public Pipeline.Builder counters(Supplier<Map<String, Long>> counters) {
        this.counters = Objects.requireNonNull(counters);
        return self();
    }

    /** A running {@link StatisticsEvent} this often; zero (the default) for the last one only. */
    public Pipeline.Builder statsEvery(Duration every) {
        if (every.isNegative()) {
            throw new IllegalArgumentException("statistics interval must not be negative: " + every);
        }
        this.statsEvery = every;
        return self();
    }

    /**
     * Where statistics events go instead of the sinks, e.g. a console on stderr while traffic goes
     * to stdout; by default to every sink. It is not closed with the pipeline.
     */
    public Pipeline.Builder statsSink(Sink sink) {
        this.statsSink = Objects.requireNonNull(sink);
        return self();
    }

    /**
     * Makes {@link Pipeline#accept} wait for room instead of dropping: for a source that can
     * wait, such as a file being read, where a slow terminal must cost time, not events. A live
     * source never sets it: waiting there would slow the traffic it watches.
     */
    public Pipeline.Builder waitWhenFull(boolean wait) {
        this.waitWhenFull = wait;
        return self();
    }

    /**
     * No pipeline thread: {@link Pipeline#accept} pairs, counts and hands each event to the
     * sinks before it returns, and nothing is ever dropped. For a source that can wait and
     * feeds from one thread, such as a capture file: no queue, no hand-over between threads,
     * so a file is read as fast as one core decodes and prints it. A running summary is
     * checked for on each event. Everything happens under the pipeline's monitor, so
     * {@link Pipeline#statistics} from another thread waits for the event being delivered.
     */
    public Pipeline.Builder inline(boolean inline) {
        this.inline = inline;
        return self();
    }

    /**
     * {@link #inline Inline}, and every call to the pipeline ({@link Pipeline#accept accept},
     * {@link Pipeline#statistics statistics}, {@link Pipeline#close close}) comes from the thread
     * that started it, so none takes the pipeline's monitor: an uncontended monitor still costs an
     * atomic operation per event (this one and the dissector's per packet were together a tenth of
     * reading a capture file of small messages; docs/benchmarks.md, eleventh session). A call from
     * another thread throws {@link IllegalStateException} rather than race. For a source that reads
     * on one thread, such as {@code zmqtap read}.
     *
     * <p>Usage: {@code Pipeline p = Pipeline.builder("capture.pcap").sink(sink).confined(true).start();}
     */
    public Pipeline.Builder confined(boolean confined) {
        this.confined = confined;
        return self();
    }

    /**
     * Statistics measure time by the events' own times, not the clock: {@code elapsed} is the
     * span from the first event to the latest, and a statistics event carries the latest
     * event's time. For a capture file, whose summary should cover the capture, not how long
     * reading it took (rates per second included).
     */
    public Pipeline.Builder eventTime(boolean on) {
        this.eventTime = on;
        return self();
    }

    /** Pair replies with requests (the default). */
    public Pipeline.Builder correlate(boolean on) {
        this.correlate = on;
        return self();
    }

    /** Events waiting for the sinks at most (default 65,536); more are dropped and counted. */
    public Pipeline.Builder queueEvents(int events) {
        if (events < 1) {
            throw new IllegalArgumentException("queue events must be positive: " + events);
        }
        this.queueEvents = events;
        return self();
    }

    /** Heap bytes (frames and their objects) waiting for the sinks at most (default 64 MiB or an eighth of the heap); more are dropped and counted. */
    public Pipeline.Builder queueBytes(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("queue bytes must be positive: " + bytes);
        }
        this.queueBytes = bytes;
        return self();
    }

    /** How long {@link Pipeline#close()} waits for the sinks to take what waits (default 5 s). */
    public Pipeline.Builder closeTimeout(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("close timeout must not be negative: " + timeout);
        }
        this.closeTimeout = timeout;
        return self();
    }

    /** Requests waiting for a reply at most (default 100,000); the oldest is then evicted as unanswered. */
    Pipeline.Builder maxPending(int requests) {
        this.maxPending = requests;
        return self();
    }

    /** Peers counted one by one at most (default 10,000); the rest are summed as one. */
    Pipeline.Builder maxPeers(int peers) {
        this.maxPeers = peers;
        return self();
    }

    /** The nanosecond clock for running summaries and elapsed time (tests move a fake one). */
    Pipeline.Builder clock(LongSupplier nanos) {
        this.clock = Objects.requireNonNull(nanos);
        return self();
    }

    /**
     * Shows the sinks, and counts in the statistics, only the events {@code filter} accepts
     * (e.g. an {@code io.zmqtap.filter.Filter}); null (the default) for all. It is asked after
     * replies are paired with their requests, so every request is paired and a reply's latency
     * can be tested, and it is given every event in order, on the pipeline thread. Hidden
     * messages are counted as {@code filtered_out}.
     */
    public Pipeline.Builder filter(Predicate<CaptureEvent> filter) {
        this.filter = filter;
        return self();
    }
}
