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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
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
 * <p>{@link #accept} only queues: at most {@code queueEvents} events and about {@code queueBytes}
 * of heap (frame data and the objects around it) wait; what does not fit is dropped and counted ({@link #dropped()},
 * {@code events_dropped}). One pipeline thread takes the events in the order accepted, pairs
 * replies with requests ({@link Correlator}), counts them ({@link TrafficStatistics}) and gives
 * them to the sinks. It is not woken per event (that would be a system call on the source's
 * path): it looks every millisecond while busy, backing off to every 10 ms while idle.
 *
 * <p>When events are dropped, the requests then waiting are forgotten rather than reported
 * unanswered: their replies may be among the lost events.
 *
 * <p>Statistics counters: the source's own ({@link Builder#counters}) first, then the pipeline's
 * {@code messages, messages_in, messages_out, commands, events_dropped, unanswered, awaiting_reply,
 * unanswered_evicted, sink_failures} (a name the source already gave keeps the source's value). A
 * running summary counts the requests still waiting as {@code awaiting_reply}, not as unanswered;
 * the last summary, when the source stopped, counts them as unanswered.
 */
public final class Pipeline implements Sink {
    private static final long MIN_IDLE_NANOS = 1_000_000;
    private static final long MAX_IDLE_NANOS = 10_000_000;
    /** Sinks are flushed when the queue runs empty, and at least this often while it never does. */
    private static final long FLUSH_NANOS = 100_000_000;
    /** Events delivered between looks at the clock for {@link #FLUSH_NANOS}. */
    private static final int FLUSH_CHECK_EVERY = 1024;
    /** How long close waits, after giving up on draining, for the thread to notice. */
    private static final long ABANDON_NANOS = 50_000_000;

    private final String source;
    private final Supplier<Map<String, Long>> counters;
    private final LongSupplier clock;
    private final long startedNanos;
    private final long everyNanos;
    private final long closeNanos;
    private final Handoff handoff;
    private final boolean waitWhenFull;
    /** No thread: {@link #accept} delivers on the caller's thread (see {@link Builder#inline}). */
    private final boolean inline;
    private final boolean eventTime;
    private final Tally tally;
    private final boolean filtering;
    private final Delivery delivery;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean closeCalled = new AtomicBoolean();
    private volatile boolean closing;
    private volatile boolean abandon;
    // The delivering thread's (the pipeline thread, or an inline pipeline's caller under its lock):
    private long nextStatsNanos;
    private int unflushed;
    private long flushedNanos;
    /** The first and latest event times, for {@link Builder#eventTime}; written by the delivering thread. */
    private volatile Instant firstEvent;
    private volatile Instant lastEvent;

    private Pipeline(Builder b) {
        this.source = b.source;
        this.counters = b.counters;
        this.clock = b.clock;
        this.startedNanos = clock.getAsLong();
        this.everyNanos = b.statsEvery.toNanos();
        this.closeNanos = b.closeTimeout.toNanos();
        this.nextStatsNanos = startedNanos + everyNanos;
        this.handoff = new Handoff(b.queueEvents, b.queueBytes);
        this.waitWhenFull = b.waitWhenFull;
        this.inline = b.inline;
        this.eventTime = b.eventTime;
        this.flushedNanos = startedNanos;
        this.tally = new Tally(b.correlate ? new Correlator(b.maxPending, b.maxPending) : null,
                new TrafficStatistics(b.maxPeers), b.filter);
        this.filtering = b.filter != null;
        this.delivery = new Delivery(b.sinks, b.statsSink);
        this.thread = inline ? null : new Thread(this::run, "zmqtap-pipeline");
        if (thread != null) {
            thread.setDaemon(true); // never keeps a JVM alive
        }
    }

    /** A pipeline for {@code source}, the name its statistics events carry. */
    public static Builder builder(String source) {
        return new Builder(source);
    }

    /**
     * Takes an event from the source, any thread. Never blocks: dropped and counted when the queue
     * is full or closed; unless the pipeline was built to {@link Builder#waitWhenFull wait}, when
     * it waits for room instead (a file being read, which must lose nothing to a slow terminal).
     */
    @Override
    public void accept(CaptureEvent event) {
        Objects.requireNonNull(event);
        if (closing) {
            handoff.drop();
            return;
        }
        if (inline) {
            synchronized (this) {
                if (!closeCalled.get()) {
                    deliver(event, false);
                    tick();
                }
            }
            return;
        }
        if (!waitWhenFull) {
            handoff.offer(event);
            return;
        }
        while (!handoff.tryOffer(event)) {
            if (closing || !thread.isAlive()) {
                handoff.drop();
                return;
            }
            LockSupport.parkNanos(100_000); // the pipeline thread takes events every millisecond at most
        }
    }

    /** Events lost because the sinks could not keep up (or that came after {@link #close()}). */
    public long dropped() {
        return handoff.dropped();
    }

    /**
     * The statistics now, as the next running summary would show them; any thread, e.g. a shutdown
     * hook while the pipeline runs.
     */
    public StatisticsEvent statistics(boolean last) {
        Map<String, Long> c = new LinkedHashMap<>();
        try {
            c.putAll(counters.get());
        } catch (RuntimeException e) {
            // the source's counts are extras: the pipeline's own still go out
        }
        Tally.Snapshot s = tally.snapshot(last);
        c.putIfAbsent("messages", s.messages());
        c.putIfAbsent("messages_in", s.messagesIn());
        c.putIfAbsent("messages_out", s.messagesOut());
        c.putIfAbsent("commands", s.commands());
        c.putIfAbsent("events_dropped", handoff.dropped());
        c.putIfAbsent("unanswered", s.unanswered());
        c.putIfAbsent("awaiting_reply", s.waiting());
        c.putIfAbsent("unanswered_evicted", s.evicted());
        c.putIfAbsent("sink_failures", delivery.failures());
        if (filtering) {
            c.putIfAbsent("filtered_out", tally.filteredOut());
        }
        Instant first = firstEvent;
        Instant latest = lastEvent;
        if (eventTime) {
            // a capture's own span: reading a day's file in a minute is still a day of traffic
            Duration span = first == null ? Duration.ZERO : Duration.between(first, latest);
            return new StatisticsEvent(latest == null ? Instant.now() : latest, source, null, last, span, c, s.peers(),
                    s.oldestUnanswered());
        }
        return new StatisticsEvent(Instant.now(), source, null, last, Duration.ofNanos(clock.getAsLong() - startedNanos),
                c, s.peers(), s.oldestUnanswered());
    }

    /**
     * Delivers what was accepted (waiting at most the close timeout), sends the last statistics to
     * the statistics sink (or every sink), closes the sinks and stops the thread. When a sink is
     * stuck, what still waits is dropped and the other sinks still get the last statistics.
     */
    @Override
    public void close() {
        if (!closeCalled.compareAndSet(false, true)) {
            return;
        }
        closing = true;
        if (inline) {
            synchronized (this) {
                delivery.finish(() -> statistics(true), true);
            }
            stopped.countDown();
            return;
        }
        LockSupport.unpark(thread);
        if (Thread.currentThread() == thread) {
            return; // a sink closing its own pipeline: the thread finishes when it gets back
        }
        if (awaitStopped(closeNanos)) {
            return;
        }
        abandon = true;
        LockSupport.unpark(thread);
        if (!awaitStopped(ABANDON_NANOS)) {
            delivery.finish(() -> statistics(true), false);
        }
    }

    /** Waits for the pipeline thread to end; true when it did. */
    boolean awaitStopped(long nanos) {
        try {
            return stopped.await(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Pipeline begin() {
        if (thread != null) {
            thread.start();
        }
        return this;
    }

    private void run() {
        long idle = MIN_IDLE_NANOS;
        long droppedSeen = 0;
        try {
            for (;;) {
                Handoff.Entry e = handoff.poll();
                if (e == null) {
                    if (unflushed > 0) {
                        flushSinks(); // nothing more waiting: what was printed goes out now
                    }
                    if (abandon || closing && handoff.isEmpty()) {
                        break;
                    }
                    tick();
                    LockSupport.parkNanos(closing ? MIN_IDLE_NANOS : untilStats(idle));
                    idle = Math.min(idle * 2, MAX_IDLE_NANOS);
                    continue;
                }
                idle = MIN_IDLE_NANOS;
                CaptureEvent event = Handoff.take(e);
                if (abandon) {
                    handoff.drop();
                    handoff.discard();
                    break;
                }
                boolean lost = e.droppedBefore != droppedSeen;
                droppedSeen = e.droppedBefore;
                deliver(event, lost);
                tick();
            }
        } finally {
            try {
                delivery.finish(() -> statistics(true), true);
            } finally {
                stopped.countDown();
            }
        }
    }

    /** Pairs, counts and hands one event to the sinks. */
    private void deliver(CaptureEvent event, boolean lost) {
        if (eventTime) {
            if (firstEvent == null) {
                firstEvent = event.time();
            }
            if (lastEvent == null || event.time().isAfter(lastEvent)) {
                lastEvent = event.time();
            }
        }
        CaptureEvent shown = tally.process(event, lost);
        if (shown == null) {
            return; // hidden by the filter
        }
        delivery.event(shown);
        if (++unflushed % FLUSH_CHECK_EVERY == 0 && clock.getAsLong() - flushedNanos > FLUSH_NANOS) {
            flushSinks(); // a queue that never runs empty (or an inline pipeline) still shows its output
        }
    }

    private void flushSinks() {
        delivery.flush();
        unflushed = 0;
        flushedNanos = clock.getAsLong();
    }

    /** A running summary when one is due. */
    private void tick() {
        if (everyNanos <= 0) {
            return;
        }
        long now = clock.getAsLong();
        if (now - nextStatsNanos < 0) {
            return;
        }
        delivery.statistics(statistics(false));
        delivery.flush(); // a running summary shows at once, even with no traffic after it
        nextStatsNanos += everyNanos;
        if (now - nextStatsNanos >= 0) {
            nextStatsNanos = now + everyNanos; // fell behind (a stuck sink, a suspended machine): no burst
        }
    }

    private long untilStats(long idle) {
        return everyNanos <= 0 ? idle : Math.max(1, Math.min(idle, nextStatsNanos - clock.getAsLong()));
    }

    /** Settings for a {@link Pipeline}. */
    public static final class Builder {
        private final String source;
        private final List<Sink> sinks = new ArrayList<>();
        private Supplier<Map<String, Long>> counters = Map::of;
        private Duration statsEvery = Duration.ZERO;
        private boolean correlate = true;
        private Sink statsSink;
        private int queueEvents = 65_536;
        /** 64 MiB, or an eighth of the heap when that is less: the pipeline must not be what exhausts it. */
        private long queueBytes = Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 8);
        private Duration closeTimeout = Duration.ofSeconds(5);
        private boolean waitWhenFull;
        private boolean inline;
        private boolean eventTime;
        private int maxPending = 100_000;
        private int maxPeers = 10_000;
        private LongSupplier clock = System::nanoTime;
        private Predicate<CaptureEvent> filter;

        private Builder(String source) {
            this.source = Objects.requireNonNull(source);
        }

        /** Adds a sink; each gets every event, in order. */
        public Builder sink(Sink sink) {
            sinks.add(Objects.requireNonNull(sink));
            return this;
        }

        /** The source's own counts (connections, drops, ...), added to every statistics event; called from any thread. */
        public Builder counters(Supplier<Map<String, Long>> counters) {
            this.counters = Objects.requireNonNull(counters);
            return this;
        }

        /** A running {@link StatisticsEvent} this often; zero (the default) for the last one only. */
        public Builder statsEvery(Duration every) {
            if (every.isNegative()) {
                throw new IllegalArgumentException("statistics interval must not be negative: " + every);
            }
            this.statsEvery = every;
            return this;
        }

        /**
         * Where statistics events go instead of the sinks, e.g. a console on stderr while traffic goes
         * to stdout; by default to every sink. It is not closed with the pipeline.
         */
        public Builder statsSink(Sink sink) {
            this.statsSink = Objects.requireNonNull(sink);
            return this;
        }

        /**
         * Makes {@link Pipeline#accept} wait for room instead of dropping: for a source that can
         * wait, such as a file being read, where a slow terminal must cost time, not events. A live
         * source never sets it: waiting there would slow the traffic it watches.
         */
        public Builder waitWhenFull(boolean wait) {
            this.waitWhenFull = wait;
            return this;
        }

        /**
         * No pipeline thread: {@link Pipeline#accept} pairs, counts and hands each event to the
         * sinks before it returns, and nothing is ever dropped. For a source that can wait and
         * feeds from one thread, such as a capture file: no queue, no hand-over between threads,
         * so a file is read as fast as one core decodes and prints it. A running summary is
         * checked for on each event.
         */
        public Builder inline(boolean inline) {
            this.inline = inline;
            return this;
        }

        /**
         * Statistics measure time by the events' own times, not the clock: {@code elapsed} is the
         * span from the first event to the latest, and a statistics event carries the latest
         * event's time. For a capture file, whose summary should cover the capture, not how long
         * reading it took (rates per second included).
         */
        public Builder eventTime(boolean on) {
            this.eventTime = on;
            return this;
        }

        /** Pair replies with requests (the default). */
        public Builder correlate(boolean on) {
            this.correlate = on;
            return this;
        }

        /** Events waiting for the sinks at most (default 65,536); more are dropped and counted. */
        public Builder queueEvents(int events) {
            if (events < 1) {
                throw new IllegalArgumentException("queue events must be positive: " + events);
            }
            this.queueEvents = events;
            return this;
        }

        /** Heap bytes (frames and their objects) waiting for the sinks at most (default 64 MiB or an eighth of the heap); more are dropped and counted. */
        public Builder queueBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("queue bytes must be positive: " + bytes);
            }
            this.queueBytes = bytes;
            return this;
        }

        /** How long {@link Pipeline#close()} waits for the sinks to take what waits (default 5 s). */
        public Builder closeTimeout(Duration timeout) {
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("close timeout must not be negative: " + timeout);
            }
            this.closeTimeout = timeout;
            return this;
        }

        /** Requests waiting for a reply at most (default 100,000); the oldest is then evicted as unanswered. */
        Builder maxPending(int requests) {
            this.maxPending = requests;
            return this;
        }

        /** Peers counted one by one at most (default 10,000); the rest are summed as one. */
        Builder maxPeers(int peers) {
            this.maxPeers = peers;
            return this;
        }

        /** The nanosecond clock for running summaries and elapsed time (tests move a fake one). */
        Builder clock(LongSupplier nanos) {
            this.clock = Objects.requireNonNull(nanos);
            return this;
        }

        /**
         * Shows the sinks, and counts in the statistics, only the events {@code filter} accepts
         * (e.g. an {@code io.zmqtap.filter.Filter}); null (the default) for all. It is asked after
         * replies are paired with their requests, so every request is paired and a reply's latency
         * can be tested, and it is given every event in order, on the pipeline thread. Hidden
         * messages are counted as {@code filtered_out}.
         */
        public Builder filter(Predicate<CaptureEvent> filter) {
            this.filter = filter;
            return this;
        }

        /** Starts the pipeline thread. */
        public Pipeline start() {
            return new Pipeline(this).begin();
        }
    }
}
