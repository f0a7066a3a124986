package io.zmqtap.proxy;

import io.zmqtap.feed.CaptureFrames;
import io.zmqtap.event.Direction;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import zmq.Msg;

/**
 * Carries the JeroMQ engine's captures from its forwarding thread to a {@link CapturePublisher} on
 * a thread of its own: each message is encoded as ZMTP bytes at once (the engine's frames go on to
 * JeroMQ) and queued. The queue is bounded in bytes: when the publisher's thread falls that far
 * behind, captures are dropped and counted here, and forwarding never waits.
 *
 * <p>The publisher's thread is woken once per burst of forwarded messages ({@link #endOfBurst}), not
 * per message: a wake-up is a system call and a context switch, and the forwarding loop hands over
 * up to a thousand messages per burst.
 *
 * <p>Usage: the forwarding thread calls {@link #frames} and {@link #endOfBurst}; the publisher's loop
 * calls {@link #drain()} every turn.
 */
final class CaptureHandoff implements Capture {
    private final CapturePublisher publisher;
    private final CaptureFrames frames;
    private final long maxBytes;
    private final Runnable wake;
    private final Queue<byte[]> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private volatile long dropped;
    /** Captures were queued since the publisher was last woken (the forwarding thread's own flag). */
    private boolean queuedSinceWake;

    /**
     * @param maxBytes capture bytes that may wait for the publisher's thread
     * @param wake wakes the publisher's loop (after a burst of captures)
     */
    CaptureHandoff(CapturePublisher publisher, CaptureFrames frames, long maxBytes, Runnable wake) {
        this.publisher = publisher;
        this.frames = frames;
        this.maxBytes = maxBytes;
        this.wake = wake;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public void frames(Direction direction, ProxiedMessage message, long seq) {
        Msg[] parts = message.captureFrames;
        byte[] metadata = frames.enveloped() ? frames.metadata(direction, seq, dropped()) : null;
        long size = frames.headSize(direction, metadata, null);
        for (int i = 0; i < message.count; i++) {
            size += CaptureFrames.frameSize(parts[i].size());
        }
        if (size > Integer.MAX_VALUE - 16 || queuedBytes.get() + size > maxBytes) {
            dropped = dropped + 1; // single writer: the forwarding thread
            return;
        }
        ByteBuffer out = ByteBuffer.allocate((int) size);
        frames.encodeHead(out, direction, metadata, null);
        for (int i = 0; i < message.count; i++) {
            CaptureFrames.frame(out, parts[i].data(), i < message.count - 1);
        }
        queuedBytes.addAndGet(size);
        queue.add(out.array());
        queuedSinceWake = true;
    }

    @Override
    public void endOfBurst() {
        if (queuedSinceWake) {
            queuedSinceWake = false;
            wake.run();
        }
    }

    @Override
    public void wire(Direction direction, byte[] routingId, ByteBuffer in, int start, int end, long seq) {
        throw new UnsupportedOperationException("the wire engine publishes on its own thread");
    }

    /** Publishes what waits; on the publisher's thread. */
    void drain() {
        byte[] m;
        while ((m = queue.poll()) != null) {
            queuedBytes.addAndGet(-m.length);
            ByteBuffer first = firstFrame(m);
            publisher.publish(m, first);
        }
    }

    private static ByteBuffer firstFrame(byte[] message) {
        ByteBuffer b = ByteBuffer.wrap(message);
        return CaptureFrames.firstFrame(b, 0);
    }

    @Override
    public int subscribedTopics() {
        return publisher.subscribedTopics();
    }

    @Override
    public long captured() {
        return publisher.captured() + dropped;
    }

    @Override
    public long dropped() {
        return publisher.dropped() + dropped;
    }

    @Override
    public java.util.List<SubscriberStatistics> subscribers() {
        return publisher.subscribers();
    }
}
