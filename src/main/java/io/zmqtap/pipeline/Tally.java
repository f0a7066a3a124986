package io.zmqtap.pipeline;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.event.StatisticsEvent;
import java.util.List;
import java.util.function.Predicate;

/**
 * The pipeline's knowledge of the traffic: the correlator (when pairing is on) and the
 * statistics, behind one lock, so that the pipeline thread updates them while any thread (a
 * shutdown hook, a control request) reads a consistent snapshot. The lock is the tally's own, or an
 * inline pipeline's monitor, which its caller holds already for every event ({@link #processHeld}).
 *
 * <p>Usage: {@code CaptureEvent shown = tally.process(event, false); Tally.Snapshot s = tally.snapshot(false);}
 */
final class Tally {
    /** The counts at one moment. */
    record Snapshot(long messages, long messagesIn, long messagesOut, long commands, long unanswered, long waiting,
            long evicted, List<StatisticsEvent.Peer> peers, List<StatisticsEvent.Pending> oldestUnanswered) {}

    private final Correlator correlator;
    private final TrafficStatistics traffic;
    private final Predicate<CaptureEvent> filter; // null: every event is shown
    private final Object lock;
    private long filteredOut;

    /** {@code correlator} null: replies are not paired. */
    Tally(Correlator correlator, TrafficStatistics traffic) {
        this(correlator, traffic, null);
    }

    /** {@code filter}: what the sinks see, and the statistics count (null: everything). */
    Tally(Correlator correlator, TrafficStatistics traffic, Predicate<CaptureEvent> filter) {
        this(correlator, traffic, filter, null);
    }

    /** {@code lock}: what every call synchronizes on (null: this tally). */
    Tally(Correlator correlator, TrafficStatistics traffic, Predicate<CaptureEvent> filter, Object lock) {
        this.correlator = correlator;
        this.traffic = traffic;
        this.filter = filter;
        this.lock = lock == null ? this : lock;
    }

    /**
     * Pairs and counts one event; returns it as the sinks should see it, or null when the filter
     * hides it. {@code lost}: events were dropped just before this one, so requests waiting for a
     * reply may never see it.
     */
    CaptureEvent process(CaptureEvent event, boolean lost) {
        synchronized (lock) {
            return apply(event, lost);
        }
    }

    /**
     * As {@link #process}, for a caller that holds the lock already (an inline pipeline, whose
     * monitor it is): taking a held monitor again still costs an atomic operation per event.
     */
    CaptureEvent processHeld(CaptureEvent event, boolean lost) {
        return apply(event, lost);
    }

    private CaptureEvent apply(CaptureEvent event, boolean lost) {
        CaptureEvent shown = event;
        if (correlator != null) {
            if (lost) {
                correlator.forget();
            }
            shown = correlator.apply(event);
        }
        // after pairing (every request is seen, a reply's latency is known), before counting
        if (filter != null && !filter.test(shown)) {
            if (shown instanceof MessageEvent) {
                filteredOut++;
            }
            return null;
        }
        traffic.record(shown);
        return shown;
    }

    /** Messages the filter hid so far. */
    long filteredOut() {
        synchronized (lock) {
            return filteredOut;
        }
    }

    /**
     * The counts now. {@code last}: the source stopped, so requests still waiting will never be
     * answered; before that they are only waiting ({@code waiting}), and a running summary lists
     * the requests that ended without a reply.
     */
    Snapshot snapshot(boolean last) {
        synchronized (lock) {
            return snapshotNow(last);
        }
    }

    private Snapshot snapshotNow(boolean last) {
        if (correlator == null) {
            return new Snapshot(traffic.messages(), traffic.messagesIn(), traffic.messagesOut(), traffic.commands(), 0,
                    0, 0, traffic.peers(), List.of());
        }
        long waiting = correlator.waiting();
        return new Snapshot(traffic.messages(), traffic.messagesIn(), traffic.messagesOut(), traffic.commands(),
                last ? correlator.unanswered() : correlator.unanswered() - waiting, last ? 0 : waiting,
                correlator.evicted(), traffic.peers(), last ? correlator.oldestUnanswered() : correlator.oldestEnded());
    }
}
