package io.zmqtap.pipeline;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.MessageEvent;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * The queue between a source's threads and the pipeline thread: many producers, one consumer,
 * bounded by events and by captured frame bytes. What does not fit is dropped and counted; adding
 * never waits and never makes a system call (a linked list whose tail producers swap atomically,
 * Vyukov's MPSC queue, so an add is one allocation and a few atomic operations).
 *
 * <p>Each entry remembers how many events had been dropped when it was added, so the consumer can
 * tell that something was lost between two entries it takes (see {@link Entry#droppedBefore}).
 *
 * <p>Usage: {@code Handoff h = new Handoff(65536, 64 << 20); h.offer(event); Handoff.Entry e = h.poll();}
 */
final class Handoff {
    /** One queued event. */
    static final class Entry {
        private static final AtomicReferenceFieldUpdater<Entry, Entry> NEXT =
                AtomicReferenceFieldUpdater.newUpdater(Entry.class, Entry.class, "next");

        CaptureEvent event;
        final long bytes;
        /** The drop count when this entry was added: a change between two entries means events were lost there. */
        final long droppedBefore;
        private volatile Entry next;

        Entry(CaptureEvent event, long bytes, long droppedBefore) {
            this.event = event;
            this.bytes = bytes;
            this.droppedBefore = droppedBefore;
        }
    }

    private final int maxEvents;
    private final long maxBytes;
    private final AtomicReference<Entry> tail;
    private final AtomicInteger events = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private Entry head; // the consumer's: the last entry taken (or the stub)

    Handoff(int maxEvents, long maxBytes) {
        if (maxEvents < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("queue bounds must be positive: " + maxEvents + " events, " + maxBytes + " bytes");
        }
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
        this.head = new Entry(null, 0, 0);
        this.tail = new AtomicReference<>(head);
    }

    /** Queues {@code event}, or drops and counts it when the queue is full; true when queued. Any thread. */
    boolean offer(CaptureEvent event) {
        if (tryOffer(event)) {
            return true;
        }
        dropped.incrementAndGet();
        return false;
    }

    /** Queues {@code event} if there is room; false (nothing counted) when the queue is full. Any thread. */
    boolean tryOffer(CaptureEvent event) {
        if (events.incrementAndGet() > maxEvents) {
            events.decrementAndGet();
            return false;
        }
        long size = heapBytes(event);
        long now = bytes.addAndGet(size);
        // an event alone in the queue is always admitted, so one message larger than the budget still shows
        if (now > maxBytes && now != size) {
            bytes.addAndGet(-size);
            events.decrementAndGet();
            return false;
        }
        Entry e = new Entry(event, size, dropped.get());
        Entry prev = tail.getAndSet(e);
        Entry.NEXT.lazySet(prev, e); // the consumer sees a gap (empty) until this lands, never a broken list
        return true;
    }

    /**
     * About what {@code event} holds on the heap: its frames' bytes plus the objects around them
     * (the event, its list, each frame and array header), so that a flood of small messages is
     * bounded by memory too, not only by count.
     */
    static long heapBytes(CaptureEvent event) {
        if (event instanceof MessageEvent m) {
            return m.capturedBytes() + 96 + 48L * m.frames().size();
        }
        return 128;
    }

    /** Counts an event that was not offered (e.g. after close) as dropped. */
    void drop() {
        dropped.incrementAndGet();
    }

    /** The oldest entry, or null when none is ready. Consumer thread only. */
    Entry poll() {
        Entry next = head.next;
        if (next == null) {
            return null;
        }
        head = next;
        events.decrementAndGet();
        bytes.addAndGet(-next.bytes);
        return next;
    }

    /** The entry {@link #poll} took, with its event released for the garbage collector. */
    static CaptureEvent take(Entry e) {
        CaptureEvent event = e.event;
        e.event = null;
        return event;
    }

    /**
     * True when nothing is queued and no producer is between swapping the tail and linking its
     * entry. Consumer thread only.
     */
    boolean isEmpty() {
        return head.next == null && tail.get() == head;
    }

    /** Drops and counts everything still queued. Consumer thread only. */
    void discard() {
        for (Entry e; (e = poll()) != null; ) {
            e.event = null;
            dropped.incrementAndGet();
        }
    }

    /** Events dropped so far. */
    long dropped() {
        return dropped.get();
    }
}
