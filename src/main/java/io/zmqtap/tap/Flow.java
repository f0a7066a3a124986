package io.zmqtap.tap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.LongAdder;

/**
 * One direction of a tapped connection: moves bytes from one non-blocking channel to the other,
 * unchanged, and shows each chunk to an {@link Observer} after writing it.
 *
 * <pre>
 *   from --read--&gt; io (shared, direct) --write--&gt; to
 *                    |
 *                    v observer (copies it for decoding)
 *   what "to" did not take --&gt; pending (this flow's own, at most one chunk)
 * </pre>
 *
 * <p>Memory: the chunk buffer belongs to the loop and is shared by every flow, so an idle
 * connection holds no buffer at all. Only when the destination cannot take a whole chunk does the
 * rest move into a buffer of this flow's own (at most {@link #CHUNK} bytes), and then the flow
 * stops reading ({@link #wantsRead()} is false) until that rest is written: backpressure without
 * unbounded buffering. The source's sender then fills the kernel's buffers and blocks.
 *
 * <p>A decrypting tap gives its flows a {@link Transform}: each chunk read is opened and sealed
 * again before it is written, and the observer sees the plaintext instead of the bytes read. A
 * plain tap's flows have none and move bytes exactly as above.
 *
 * <p>Usage (by the loop that reads its source, on that loop's thread only):
 * <pre>{@code
 * Flow.Step s = flow.read(io);        // when "from" is readable
 * flow.flush();                        // when "to" is writable and flow.hasPending()
 * }</pre>
 */
final class Flow {
    /** Chunk size: large enough for bulk transfers; the shared buffers have this size. */
    static final int CHUNK = 64 * 1024;

    /** What one read did. */
    enum Step {
        /** Nothing to read after all, or a chunk was forwarded whole. */
        MOVED,
        /** A chunk was forwarded in part: the rest waits for the destination to be writable. */
        BLOCKED,
        /** The source closed its sending side; the destination's sending side was closed too. */
        ENDED
    }

    /** Sees every chunk, then the end of the stream. Must not throw and must be quick. */
    interface Observer {
        /** A chunk was read and is about to be written: fixes its place in order. {@link #forwarded} follows. */
        void arrived();

        /**
         * The chunk that was just written (or handed over for writing, or whose write failed),
         * between its position and limit. Only valid during the call: the buffer is reused.
         */
        void forwarded(ByteBuffer chunk);

        /** The source closed its sending side (after its last chunk). */
        void end();
    }

    /**
     * Changes what a flow forwards, e.g. the decrypting tap's re-sealing of CURVE boxes. A plain
     * tap has none (null), and its flows move bytes exactly as before, with no extra step.
     */
    interface Transform {
        /** What a chunk read became: bytes for the destination, and the bytes the observer sees. */
        record Chunk(ByteBuffer wire, ByteBuffer shown) {}

        /** Takes all of {@code read}'s remaining bytes (it may keep a frame's beginning for the next call). */
        Chunk apply(ByteBuffer read) throws IOException;

        /** True when it holds bytes read before the flow started that make whole frames: see {@link #drain()}. */
        boolean hasBuffered();
    }

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SocketChannel from;
    private final SocketChannel to;
    private final Observer observer;
    private final LongAdder total;
    private final Transform transform;
    /** The part of the last chunk the destination has not taken yet; null when there is none. */
    private ByteBuffer pending;
    private boolean ended;

    Flow(SocketChannel from, SocketChannel to, Observer observer, LongAdder total) {
        this(from, to, observer, total, null);
    }

    /** @param transform what becomes of each chunk before it is written on; null: nothing, bytes go as read */
    Flow(SocketChannel from, SocketChannel to, Observer observer, LongAdder total, Transform transform) {
        this.from = from;
        this.to = to;
        this.observer = observer;
        this.total = total;
        this.transform = transform;
    }

    /**
     * Reads one chunk into {@code io} (direct: the JDK does socket I/O from native memory only),
     * writes what the destination takes, shows the chunk to the observer, and keeps the rest.
     * Call only while {@link #wantsRead()}. Throws when a read or write fails.
     */
    Step read(ByteBuffer io) throws IOException {
        io.clear();
        int n = from.read(io);
        if (n < 0) {
            ended = true;
            observer.end();
            to.shutdownOutput(); // nothing is pending (we read only then): pass the FIN on now
            return Step.ENDED;
        }
        if (n == 0) {
            return Step.MOVED;
        }
        if (transform != null) {
            total.add(n);
            return transformed(io.flip());
        }
        observer.arrived();
        io.flip();
        try {
            to.write(io);
        } finally {
            int written = io.position();
            observer.forwarded(io.position(0));
            io.limit(n).position(written);
        }
        total.add(n);
        if (!io.hasRemaining()) {
            return Step.MOVED;
        }
        pending = ByteBuffer.allocate(io.remaining()).put(io).flip();
        return Step.BLOCKED;
    }

    /**
     * Forwards what the transform kept from before the flow started (e.g. a message the server
     * sent right behind its handshake), without waiting for more to read. Call once, when the flow
     * starts, while {@link #wantsRead()}.
     */
    Step drain() throws IOException {
        return transform != null && transform.hasBuffered() ? transformed(EMPTY) : Step.MOVED;
    }

    private Step transformed(ByteBuffer read) throws IOException {
        observer.arrived();
        Transform.Chunk c;
        try {
            c = transform.apply(read);
        } catch (IOException | RuntimeException e) {
            observer.forwarded(EMPTY); // its place in order is taken: leave no hole in it
            throw e;
        }
        ByteBuffer wire = c.wire();
        try {
            if (wire.hasRemaining()) {
                to.write(wire);
            }
        } finally {
            observer.forwarded(c.shown());
        }
        if (!wire.hasRemaining()) {
            return Step.MOVED;
        }
        pending = wire; // the transform made it for this write alone: no copy needed
        return Step.BLOCKED;
    }

    /** Writes what is pending; true when all of it has gone (the pending buffer is then released). */
    boolean flush() throws IOException {
        if (pending == null) {
            return true;
        }
        to.write(pending);
        if (pending.hasRemaining()) {
            return false;
        }
        pending = null;
        return true;
    }

    /** True while the flow should be read: its source has not ended and nothing waits to be written. */
    boolean wantsRead() {
        return !ended && pending == null;
    }

    /** True while part of a chunk waits for the destination. */
    boolean hasPending() {
        return pending != null;
    }

    boolean ended() {
        return ended;
    }
}
