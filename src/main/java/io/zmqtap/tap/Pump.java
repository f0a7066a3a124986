package io.zmqtap.tap;

import io.zmqtap.endpoint.BusyPoll;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * Moves the bytes of one direction of a connection from one blocking channel to another, unchanged.
 *
 * <p>Backpressure comes for free: the pump reads the next chunk only after the previous one was
 * written, so a peer that stops reading fills the kernel's socket buffers, then the pump's one
 * buffer, and then the sender blocks. Nothing else is buffered.
 *
 * <p>Each chunk is shown to an {@link Observer} twice: {@link Observer#arrived()} before it is
 * written (cheap: it only fixes the chunk's place in the connection's causal order), and
 * {@link Observer#bytes} after, so that decoding the copy never delays the peer.
 *
 * <p>Before each blocking read the pump busy-polls its source for a short spell ({@link BusyPoll}): under
 * steady traffic the next chunk is usually there by then, which saves the wake-up of a sleeping
 * thread on every hop.
 *
 * <p>Usage: {@code Pump.Outcome o = new Pump(client, upstream, decoderSide, bytesIn, BusyPoll.OFF).run();}
 */
final class Pump {
    /** Chunk size: large enough for bulk transfers, small enough to keep per-connection memory low. */
    static final int BUFFER_SIZE = 64 * 1024;

    /** How a pump stopped. */
    enum Outcome {
        /** The source closed its sending side; the pump closed the destination's sending side too. */
        END,
        /** A read or write failed (reset, closed under it): the connection must be torn down. */
        FAILED
    }

    /** Sees a copy of every chunk, then the end of the stream. Must not throw and must be quick. */
    interface Observer {
        /** A chunk was read and is about to be written; {@link #bytes} follows, even if the write fails. */
        void arrived();

        /**
         * The chunk that was just written, between its position and limit. Only valid during the call (the
         * buffer is reused for the next read) and may be direct: read it with {@code get}, not {@code array()}.
         */
        void bytes(ByteBuffer chunk);

        void end();
    }

    private final SocketChannel from;
    private final SocketChannel to;
    private final Observer observer;
    private final LongAdder total;
    private final BusyPoll busyPoll;
    /** Asks the kernel how many bytes wait (FIONREAD) without reading them: the busy-poll's check. */
    private final InputStream pending;
    private final BooleanSupplier readable = this::readable;
    /**
     * Direct, because the JDK does socket I/O only from native memory: a heap buffer is copied through
     * a temporary direct buffer on every read and on every write.
     */
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);
    private volatile long bytes;

    Pump(SocketChannel from, SocketChannel to, Observer observer, LongAdder total, BusyPoll busyPoll) {
        this.from = from;
        this.to = to;
        this.observer = observer;
        this.total = total;
        this.busyPoll = busyPoll;
        this.pending = busyPoll.enabled() ? pendingStream(from) : null;
    }

    private static InputStream pendingStream(SocketChannel channel) {
        try {
            return channel.socket().getInputStream();
        } catch (IOException e) {
            return null; // closed already: the first read reports it
        }
    }

    /** Pumps until the source ends or something fails. Never throws. */
    Outcome run() {
        try {
            for (;;) {
                buffer.clear();
                if (pending != null) {
                    busyPoll.await(readable);
                }
                int n = from.read(buffer);
                if (n < 0) {
                    observer.end();
                    to.shutdownOutput();
                    return Outcome.END;
                }
                observer.arrived();
                buffer.flip();
                try {
                    while (buffer.hasRemaining()) {
                        to.write(buffer);
                    }
                } finally {
                    observer.bytes(buffer.rewind()); // all n bytes read: the limit is still n
                }
                bytes += n; // single writer: this thread
                total.add(n);
            }
        } catch (IOException | RuntimeException e) {
            return Outcome.FAILED;
        }
    }

    /** True when a read would not block: bytes wait, or the socket failed (the read then says how). */
    private boolean readable() {
        try {
            return pending.available() > 0;
        } catch (IOException e) {
            return true;
        }
    }

    /** Bytes this pump has forwarded so far. */
    long bytes() {
        return bytes;
    }
}
