package io.zmqtap.tap;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.Frame;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.event.Sink;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands events from the tap's threads to a sink on a thread of its own, so that a slow sink (a
 * terminal, a pipe) never slows forwarding.
 *
 * <p>Bounded twice: at most {@code capacity} events and about {@code maxBytes} of captured frame
 * data wait at any time. An event that does not fit is dropped and counted; forwarding never waits.
 * Sinks see events one at a time, in the order they were offered.
 *
 * <p>Offering never makes a system call (see {@link PollingThread}).
 *
 * <p>Usage: {@code EventQueue q = new EventQueue(sink, 65536, 64 << 20); q.offer(event); q.close();}
 */
final class EventQueue implements AutoCloseable {
    private final Sink sink;
    private final int capacity;
    private final long maxBytes;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong pendingBytes = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong sinkFailures = new AtomicLong();
    private final PollingThread<CaptureEvent> thread;
    private volatile boolean closed;

    EventQueue(Sink sink, int capacity, long maxBytes) {
        this.sink = sink;
        this.capacity = capacity;
        this.maxBytes = maxBytes;
        this.thread = new PollingThread<>("zmqtap-events", this::deliver);
    }

    /** Queues {@code event} for the sink, or drops and counts it when the queue is full. Never blocks. */
    void offer(CaptureEvent event) {
        if (closed) {
            dropped.incrementAndGet();
            return;
        }
        if (pending.incrementAndGet() > capacity) {
            pending.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        long bytes = capturedBytes(event);
        long pendingNow = pendingBytes.addAndGet(bytes);
        // An event alone in the queue is always admitted, so one frame larger than the budget still shows.
        if (pendingNow > maxBytes && pendingNow != bytes) {
            pendingBytes.addAndGet(-bytes);
            pending.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        thread.add(event);
    }

    /** Events dropped because the sink could not keep up. */
    long dropped() {
        return dropped.get();
    }

    /** Events the sink threw on (they are skipped; the sink keeps getting the following ones). */
    long sinkFailures() {
        return sinkFailures.get();
    }

    private void deliver(CaptureEvent e) {
        pending.decrementAndGet();
        pendingBytes.addAndGet(-capturedBytes(e));
        try {
            sink.accept(e);
        } catch (RuntimeException ex) {
            sinkFailures.incrementAndGet(); // a broken sink must not stop the tap
        }
    }

    private static long capturedBytes(CaptureEvent e) {
        if (!(e instanceof MessageEvent m)) {
            return 0;
        }
        long n = 0;
        for (Frame f : m.envelope()) {
            n += f.data().length;
        }
        for (Frame f : m.body()) {
            n += f.data().length;
        }
        return n;
    }

    /** Delivers what is queued, then stops the delivery thread (waits at most 10 seconds). */
    @Override
    public void close() {
        closed = true;
        thread.close();
    }
}
