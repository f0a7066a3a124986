package io.zmqtap.tap;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Decodes copies of forwarded chunks on a thread of its own, in the order they were forwarded,
 * so that the forwarding thread only moves bytes.
 *
 * <p>Why a thread: decoding small messages into events costs more CPU than forwarding them, and
 * on a busy two-CPU machine the forwarding thread's share of the CPU is what bounds the tap's
 * throughput. One FIFO for every connection keeps each connection's chunks (both directions) in
 * the order they were forwarded: a reply is forwarded after its request, so it is decoded after
 * it; {@link ConnectionEvents} then sees its chunks in causal order.
 *
 * <p>Bounded: at most about {@code maxBytes} of copies wait. Beyond that {@link #awaitRoom()} holds
 * the forwarding thread until decoding caught up, as decoding on the forwarding thread did: the
 * tap never forwards faster than it decodes for long, and never buffers without bound. A slow sink
 * does not count here (events wait in {@link EventQueue}, which drops and counts them).
 *
 * <p>Like {@link EventQueue}, submitting never makes a system call: the thread polls, sleeping
 * 1 ms, and up to 10 ms while idle, between looks.
 *
 * <p>Usage: {@code decoding.chunk(side, buffer); decoding.run(() -> events.closed(in, out)); decoding.close();}
 */
final class Decoding implements AutoCloseable {
    private static final long MIN_IDLE_NANOS = 1_000_000;
    private static final long MAX_IDLE_NANOS = 10_000_000;

    /** One piece of work, with the bytes of copy it holds. */
    private record Task(Runnable work, int bytes) {}

    private final Queue<Task> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicLong pendingBytes = new AtomicLong();
    private final long maxBytes;
    private final Thread thread;
    private volatile boolean closed;

    Decoding(long maxBytes) {
        this.maxBytes = maxBytes;
        this.thread = new Thread(this::work, "zmqtap-decode");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues a copy of {@code chunk}'s remaining bytes, forwarded now, for {@code side} to decode. */
    void chunk(DirectionDecoder side, ByteBuffer chunk) {
        Instant time = Instant.now();
        byte[] copy = new byte[chunk.remaining()];
        chunk.get(copy);
        pendingBytes.addAndGet(copy.length);
        tasks.add(new Task(() -> side.decode(time, ByteBuffer.wrap(copy)), copy.length));
    }

    /** Queues {@code work} behind every chunk queued so far, e.g. a connection's end. */
    void run(Runnable work) {
        tasks.add(new Task(work, 0));
    }

    /** True while more copies wait than the budget allows; the forwarding thread should {@link #awaitRoom()}. */
    boolean full() {
        return pendingBytes.get() > maxBytes;
    }

    /** Waits until at most half the budget waits (or decoding stopped). */
    void awaitRoom() {
        while (pendingBytes.get() > maxBytes / 2 && !closed && thread.isAlive()) {
            LockSupport.parkNanos(100_000);
        }
    }

    private void work() {
        long idle = MIN_IDLE_NANOS;
        for (;;) {
            Task t = tasks.poll();
            if (t == null) {
                if (closed) {
                    return; // close() set the flag before the last poll found the queue empty
                }
                LockSupport.parkNanos(idle);
                idle = Math.min(idle * 2, MAX_IDLE_NANOS);
                continue;
            }
            idle = MIN_IDLE_NANOS;
            try {
                t.work().run();
            } catch (RuntimeException e) {
                // DirectionDecoder reports decoder failures itself; anything else must not stop decoding the rest
            } finally {
                pendingBytes.addAndGet(-t.bytes());
            }
        }
    }

    /** Decodes what is queued, then stops the thread (waits at most 10 seconds). */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
