package io.zmqtap.tap;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Decodes copies of forwarded chunks on a thread of its own, in the order they were forwarded,
 * so that the forwarding thread only moves bytes.
 *
 * <p>Why a thread: so that decoding (parsing, and making event objects) never delays forwarding,
 * and the forwarding threads' share of a busy machine's CPU goes to moving bytes. Each direction's
 * chunks are decoded in the order they were forwarded; the connection's
 * {@link io.zmqtap.dissect.ConnectionDissector} puts the two directions in causal order by the
 * stamps taken when the chunks arrived.
 *
 * <p>Bounded: at most about {@code maxBytes} of copies wait. Beyond that {@link #awaitRoom()} holds
 * the forwarding thread until decoding caught up, as decoding on the forwarding thread did: the
 * tap never forwards faster than it decodes for long, and never buffers without bound. A slow sink
 * does not count here (events wait in {@link EventQueue}, which drops and counts them).
 *
 * <p>Submitting never makes a system call (see {@link PollingThread}).
 *
 * <p>Usage: {@code decoding.chunk(buffer, copy -> dissector.client(stamp, copy)); decoding.run(() -> dissector.close(now)); decoding.close();}
 */
final class Decoding implements AutoCloseable {
    /** One piece of work, with the bytes of copy it holds. */
    private record Task(Runnable work, int bytes) {}

    private final AtomicLong pendingBytes = new AtomicLong();
    private final long maxBytes;
    private final PollingThread<Task> thread = new PollingThread<>("zmqtap-decode", this::work);

    Decoding(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Queues a copy of {@code chunk}'s remaining bytes, just forwarded, for {@code decoder} to decode. */
    void chunk(ByteBuffer chunk, Consumer<ByteBuffer> decoder) {
        byte[] copy = new byte[chunk.remaining()];
        chunk.get(copy);
        pendingBytes.addAndGet(copy.length);
        thread.add(new Task(() -> decoder.accept(ByteBuffer.wrap(copy)), copy.length));
    }

    /** Queues {@code work} behind every chunk queued so far, e.g. a connection's end. */
    void run(Runnable work) {
        thread.add(new Task(work, 0));
    }

    /** True while more copies wait than the budget allows; the forwarding thread should {@link #awaitRoom()}. */
    boolean full() {
        return pendingBytes.get() > maxBytes;
    }

    /** Waits until at most half the budget waits (or decoding stopped). */
    void awaitRoom() {
        while (pendingBytes.get() > maxBytes / 2 && thread.running()) {
            LockSupport.parkNanos(100_000);
        }
    }

    private void work(Task t) {
        try {
            t.work().run();
        } catch (RuntimeException e) {
            // the dissector reports decoder failures itself; anything else must not stop decoding the rest
        } finally {
            pendingBytes.addAndGet(-t.bytes());
        }
    }

    /** Decodes what is queued, then stops the thread (waits at most 10 seconds). */
    @Override
    public void close() {
        thread.close();
    }
}
