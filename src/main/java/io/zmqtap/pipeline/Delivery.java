package io.zmqtap.pipeline;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.Sink;
import io.zmqtap.event.StatisticsEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Hands events to a pipeline's sinks, and statistics to its statistics sink (or, without one, to
 * every sink). A sink that throws is counted and skipped; the next event still goes to it.
 *
 * <p>Each sink is called under a lock of its own, so that when the pipeline thread is stuck in one
 * sink (a terminal nobody reads), {@link #finish} from another thread can still give the last
 * statistics to the others without ever calling a sink from two threads at once. After
 * {@code finish} no sink gets anything more.
 *
 * <p>An inline pipeline ({@code guarded} false) makes every call, {@code finish} too, under its own
 * monitor already: the per-sink locks would only cost two atomic operations per event.
 *
 * <p>Usage: {@code d.event(e); d.statistics(s); d.finish(() -> last, true);}
 */
final class Delivery {
    private static final long TRY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** A sink and the lock held while calling it. */
    private static final class Slot {
        final Sink sink;
        final ReentrantLock lock = new ReentrantLock();

        Slot(Sink sink) {
            this.sink = sink;
        }
    }

    private final List<Slot> sinks = new ArrayList<>();
    private final Slot statsSink; // null: statistics go to every sink
    private final AtomicLong failures = new AtomicLong();
    /** What the first sink that threw threw, for the one line a command prints about it; null until then. */
    private volatile RuntimeException firstFailure;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final boolean guarded;

    /** {@code guarded} false: the caller makes every call under one lock of its own (an inline pipeline). */
    Delivery(List<Sink> sinks, Sink statsSink, boolean guarded) {
        this.guarded = guarded;
        Slot stats = null;
        for (Sink s : sinks) {
            Slot slot = new Slot(s);
            this.sinks.add(slot);
            if (s == statsSink && stats == null) {
                stats = slot;
            }
        }
        this.statsSink = statsSink == null ? null : stats != null ? stats : new Slot(statsSink);
    }

    /** Gives {@code e} to every sink, in order. Pipeline thread only. */
    void event(CaptureEvent e) {
        for (int i = 0, n = sinks.size(); i < n; i++) { // indexed: no iterator per event
            call(sinks.get(i), e);
        }
    }

    /** Gives a running summary to the statistics sink, or to every sink. Pipeline thread only. */
    void statistics(StatisticsEvent s) {
        if (statsSink == null) {
            event(s);
        } else {
            call(statsSink, s);
        }
    }

    /** Asks every sink, and the statistics sink, to write out what it buffers. Pipeline thread only. */
    void flush() {
        for (Slot s : sinks) {
            flush(s);
        }
        if (statsSink != null && !sinks.contains(statsSink)) {
            flush(statsSink);
        }
    }

    private void flush(Slot s) {
        s.lock.lock();
        try {
            if (!finished.get()) {
                s.sink.flush();
            }
        } catch (RuntimeException ex) {
            failed(ex);
        } finally {
            s.lock.unlock();
        }
    }

    /**
     * Once only, from whichever thread comes first: the last statistics, then every sink closed (the
     * statistics sink is not closed: it is often a shared stream such as stderr). With
     * {@code wait} false a sink whose lock stays busy (the pipeline thread is stuck in it) is
     * skipped rather than waited for.
     *
     * @return false when it had been done already
     */
    boolean finish(Supplier<StatisticsEvent> last, boolean wait) {
        if (!finished.compareAndSet(false, true)) {
            return false;
        }
        StatisticsEvent s = last.get();
        // the events printed so far go out first: on one terminal the summary must come after them
        for (Slot slot : sinks) {
            finalCall(slot, wait, slot.sink::flush);
        }
        if (statsSink == null) {
            for (Slot slot : sinks) {
                finalCall(slot, wait, () -> slot.sink.accept(s));
            }
        } else {
            finalCall(statsSink, wait, () -> statsSink.sink.accept(s));
        }
        for (Slot slot : sinks) {
            finalCall(slot, wait, slot.sink::close);
        }
        return true;
    }

    /** Times a sink threw (its events are skipped). */
    long failures() {
        return failures.get();
    }

    /** What the first sink that threw threw, or null. */
    RuntimeException firstFailure() {
        return firstFailure;
    }

    private void failed(RuntimeException ex) {
        if (firstFailure == null) {
            firstFailure = ex; // racing threads may each set it: any one of them is a first
        }
        failures.incrementAndGet();
    }

    private void call(Slot s, CaptureEvent e) {
        if (!guarded) {
            if (!finished.get()) {
                accept(s, e);
            }
            return;
        }
        s.lock.lock();
        try {
            if (!finished.get()) { // else finished from another thread while this one was busy
                accept(s, e);
            }
        } finally {
            s.lock.unlock();
        }
    }

    private void accept(Slot s, CaptureEvent e) {
        try {
            s.sink.accept(e);
        } catch (RuntimeException ex) {
            failed(ex); // a broken sink must not stop the pipeline
        }
    }

    private void finalCall(Slot s, boolean wait, Runnable r) {
        try {
            if (wait) {
                s.lock.lock();
            } else if (!s.lock.tryLock(TRY_NANOS, TimeUnit.NANOSECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            r.run();
        } catch (RuntimeException ex) {
            failed(ex);
        } finally {
            s.lock.unlock();
        }
    }
}
