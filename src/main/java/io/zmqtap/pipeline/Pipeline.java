package io.zmqtap.pipeline;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.Sink;
import io.zmqtap.event.StatisticsEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
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
    /** {@link Builder#confined Confined} to this thread, which started it: no monitor is taken; null when not confined. */
    private final Thread owner;
    private final boolean eventTime;
    private final Tally tally;
    private final boolean filtering;
    private final Delivery delivery;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean closeCalled = new AtomicBoolean();
    private volatile boolean closing;
    private volatile boolean abandon;
    // The delivering thread's (the pipeline thread, or an inline pipeline's caller, under its lock unless confined):
    private long nextStatsNanos;
    private int unflushed;
    private long flushedNanos;
    /**
     * The first and latest event times, for {@link Builder#eventTime}; written by the delivering
     * thread. Not volatile: a volatile write per event is a fence per event, and another thread
     * reading a moment-old time is harmless (an Instant is immutable, so safe to read racily).
     */
    private Instant firstEvent;
    private Instant lastEvent;

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
        this.inline = b.inline || b.confined;
        this.owner = b.confined ? Thread.currentThread() : null;
        this.eventTime = b.eventTime;
        this.flushedNanos = startedNanos;
        this.tally = new Tally(b.correlate ? new Correlator(b.maxPending, b.maxPending) : null,
                new TrafficStatistics(b.maxPeers), b.filter, inline ? this : null);
        this.filtering = b.filter != null;
        this.delivery = new Delivery(b.sinks, b.statsSink, !inline);
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
        if (owner != null) {
            ownThread();
            if (!closeCalled.get()) {
                deliver(event, false);
                tick();
            }
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

    /**
     * Times a sink threw, each time skipping what it was given (an event, a summary). A command that
     * must lose nothing says so, with {@link #firstSinkFailure()}, and fails.
     *
     * <p>Usage: {@code if (pipeline.sinkFailures() > 0) { err.println(pipeline.firstSinkFailure()); }}
     */
    public long sinkFailures() {
        return delivery.failures();
    }

    /** What the first sink that threw threw, or null while none did. */
    public RuntimeException firstSinkFailure() {
        return delivery.firstFailure();
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
        ownThread();
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
        ownThread();
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

    /** A confined pipeline is only used on its own thread: anything else would race with delivery. */
    private void ownThread() {
        if (owner != null && Thread.currentThread() != owner) {
            throw new IllegalStateException("a confined pipeline is used on the thread that started it ("
                    + owner.getName() + "), not on " + Thread.currentThread().getName());
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
        // inline, every call comes under this pipeline's monitor, which is the tally's lock (or on its one thread)
        CaptureEvent shown = inline ? tally.processHeld(event, lost) : tally.process(event, lost);
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
        delivery.flush(); // the events before it first: stdout and stderr often share a terminal
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

    /** Settings for a {@link Pipeline}: see {@link PipelineSettings} for each, then {@link #start()}. */
    public static final class Builder extends PipelineSettings {
        private Builder(String source) {
            super(source);
        }

        @Override
        Builder self() {
            return this;
        }

        /** Starts the pipeline (its thread, unless {@link #inline inline}). */
        public Pipeline start() {
            return new Pipeline(this).begin();
        }
    }
}
