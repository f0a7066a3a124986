package io.zmqtap.endpoint;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.zeromq.ZContext;

/**
 * A thread that owns a ZeroMQ context and runs a socket loop until closed: the shared lifecycle of
 * zmqtap's small services (the example server, the feed subscriber).
 *
 * <pre>{@code
 * SocketThread loop = new SocketThread("zmqtap-feed", context, running -> {
 *     while (running.getAsBoolean()) { ... socket.recv() with a receive timeout ... }
 * });
 * loop.start(); ... loop.close();   // stops the loop, waits for it, closes the context
 * }</pre>
 */
public final class SocketThread implements AutoCloseable {
    /** The loop body; it must return soon after {@code running} turns false (use receive timeouts). */
    public interface Body {
        void run(BooleanSupplier running);
    }

    private final ZContext context;
    private final Thread thread;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean running = true;

    public SocketThread(String name, ZContext context, Body body) {
        this.context = context;
        this.thread = new Thread(() -> body.run(() -> running), name);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Waits until the loop ends on its own or is closed. */
    public void awaitTermination() throws InterruptedException {
        thread.join();
    }

    /** Waits at most {@code millis}; true if the loop has ended. */
    public boolean awaitTermination(long millis) throws InterruptedException {
        thread.join(Math.max(1, millis));
        return !thread.isAlive();
    }

    /** Stops the loop, waits up to 2 s for it, then closes the context; safe to call twice. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return; // already closed, e.g. by a shutdown hook
        }
        running = false;
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        context.close();
    }
}
