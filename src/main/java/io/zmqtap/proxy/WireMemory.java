package io.zmqtap.proxy;

/**
 * The wire engine's memory budget: the bytes its connections' buffers hold (read but not yet
 * forwarded, or waiting to be written), across all connections. Buffers grow only with bytes that
 * actually arrived, never with a size a peer merely announced; when the total passes the budget,
 * the loop drops the connections holding the most (see {@link WireLoop}).
 *
 * <p>Thread-safe: the wire engine's thread charges its buffers, the JeroMQ engine's I/O threads
 * their large messages (see {@link BudgetAllocator}).
 *
 * <p>Usage: {@code WireMemory m = WireMemory.fromHeap(); m.add(buffer.capacity()); if (m.over()) shed();}
 */
final class WireMemory {
    /** The smallest default budget, whatever the heap. */
    static final long MIN_DEFAULT = 16L << 20;

    private final long limit;
    private final java.util.concurrent.atomic.AtomicLong used = new java.util.concurrent.atomic.AtomicLong();
    private volatile long peak;

    WireMemory(long limit) {
        this.limit = limit;
    }

    /**
     * Half of the heap the JVM may use ({@code -Xmx}), at least 16 MiB: the rest is for everything
     * else (captures in flight, JeroMQ's sockets, the garbage collector's headroom).
     */
    static long defaultLimit() {
        return Math.max(MIN_DEFAULT, Runtime.getRuntime().maxMemory() / 2);
    }

    long limit() {
        return limit;
    }

    /** Bytes held right now. */
    long used() {
        return used.get();
    }

    /** The most ever held at once. */
    long peak() {
        return peak;
    }

    /** A buffer was allocated ({@code delta > 0}) or given back ({@code delta < 0}). */
    void add(long delta) {
        long now = used.addAndGet(delta);
        if (now > peak) {
            peak = now; // a racing update may lose a peak by a little: it is a statistic
        }
    }

    /** Charges {@code bytes} if they fit in the budget; false (nothing charged) if they do not. */
    boolean tryAdd(long bytes) {
        long now;
        do {
            now = used.get();
            if (now + bytes > limit) {
                return false;
            }
        } while (!used.compareAndSet(now, now + bytes));
        if (now + bytes > peak) {
            peak = now + bytes;
        }
        return true;
    }

    boolean over() {
        return used.get() > limit;
    }
}
