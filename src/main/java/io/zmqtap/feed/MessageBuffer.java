package io.zmqtap.feed;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The messages a feed subscriber received and has not handed on yet, bounded by their heap cost
 * in bytes rather than by their number, so that large messages cannot fill the heap. Adding never
 * waits: a message that does not fit is refused, and the caller counts it as dropped.
 *
 * <pre>{@code
 * MessageBuffer buffer = new MessageBuffer(16 << 20);
 * if (!buffer.offer(frames, Instant.now())) dropped++;            // receiving thread
 * MessageBuffer.Entry next = buffer.poll(100, TimeUnit.MILLISECONDS); // handling thread
 * }</pre>
 */
final class MessageBuffer {
    /**
     * What a frame costs besides its bytes: the array's header and the reference to it (measured
     * objects on a 64-bit JVM with compressed references: 16 + 4, rounded up to 8-byte alignment).
     */
    static final int FRAME_OVERHEAD = 24;
    /** What a message costs besides its frames: its list, entry, timestamp and queue slot. */
    static final int MESSAGE_OVERHEAD = 96;

    /** A message and when it was received. */
    record Entry(List<byte[]> frames, Instant received, long cost) {}

    private final long capacity;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private long bytes;
    private boolean closed;

    /** @param capacity the most bytes (by {@link #cost}) held at once */
    MessageBuffer(long capacity) {
        this.capacity = capacity;
    }

    /** The heap a message takes while buffered: its bytes plus the objects that hold them. */
    static long cost(List<byte[]> frames) {
        long cost = MESSAGE_OVERHEAD;
        for (byte[] frame : frames) {
            cost += frame.length + FRAME_OVERHEAD;
        }
        return cost;
    }

    /** Adds the message if it fits; false when it does not (or the buffer is closed). */
    boolean offer(List<byte[]> frames, Instant received) {
        long cost = cost(frames);
        lock.lock();
        try {
            if (closed || bytes + cost > capacity) {
                return false;
            }
            entries.addLast(new Entry(frames, received, cost));
            bytes += cost;
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The oldest message, waiting up to {@code timeout} for one; null on timeout or once closed. */
    Entry poll(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lock();
        try {
            while (entries.isEmpty() && !closed) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            if (closed) {
                return null;
            }
            Entry e = entries.removeFirst();
            bytes -= e.cost();
            return e;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes held now, by {@link #cost}. */
    long bytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Refuses everything from now on and empties the buffer; returns the messages discarded, which
     * were received but will never be handed on.
     */
    int close() {
        lock.lock();
        try {
            closed = true;
            int discarded = entries.size();
            entries.clear();
            bytes = 0;
            notEmpty.signalAll();
            return discarded;
        } finally {
            lock.unlock();
        }
    }
}
