package io.zmqtap.tap;

import io.zmqtap.capture.CaptureEvent;
import io.zmqtap.capture.Frame;
import io.zmqtap.capture.MessageEvent;
import io.zmqtap.sink.Sink;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands events from the pump threads to a sink on a thread of its own, so that a slow sink (a
 * terminal, a pipe) never slows forwarding.
 *
 * <p>Bounded twice: at most {@code capacity} events and about {@code maxBytes} of captured frame
 * data wait at any time. An event that does not fit is dropped and counted; forwarding never waits.
 * Sinks see events one at a time, in the order they were offered.
 *
 * <p>Usage: {@code EventQueue q = new EventQueue(sink, 65536, 64 << 20); q.offer(event); q.close();}
 */
final class EventQueue implements AutoCloseable {
    private static final CaptureEvent STOP = new io.zmqtap.capture.NoticeEvent(
            java.time.Instant.EPOCH, "", io.zmqtap.capture.NoticeEvent.Level.INFO, "stop");

    private final Sink sink;
    private final BlockingQueue<CaptureEvent> queue;
    private final long maxBytes;
    private final AtomicLong pendingBytes = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong sinkFailures = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;

    EventQueue(Sink sink, int capacity, long maxBytes) {
        this.sink = sink;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.maxBytes = maxBytes;
        this.thread = new Thread(this::deliver, "zmqtap-events");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues {@code event} for the sink, or drops and counts it when the queue is full. Never blocks. */
    void offer(CaptureEvent event) {
        if (closed) {
            dropped.incrementAndGet();
            return;
        }
        long bytes = capturedBytes(event);
        long pending = pendingBytes.addAndGet(bytes);
        // An event alone in the queue is always admitted, so one frame larger than the budget still shows.
        if ((pending > maxBytes && pending != bytes) || !queue.offer(event)) {
            pendingBytes.addAndGet(-bytes);
            dropped.incrementAndGet();
        }
    }

    /** Events dropped because the sink could not keep up. */
    long dropped() {
        return dropped.get();
    }

    /** Events the sink threw on (they are skipped; the sink keeps getting the following ones). */
    long sinkFailures() {
        return sinkFailures.get();
    }

    private void deliver() {
        try {
            for (;;) {
                CaptureEvent e = queue.take();
                if (e == STOP) {
                    return;
                }
                pendingBytes.addAndGet(-capturedBytes(e));
                try {
                    sink.accept(e);
                } catch (RuntimeException ex) {
                    sinkFailures.incrementAndGet(); // a broken sink must not stop the tap
                }
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
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
        try {
            queue.put(STOP);
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
