package io.zmqtap.tap;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A thread that takes items from a queue, in order, and hands each to a handler; what the tap's
 * forwarding path uses to pass work on ({@link Decoding}, {@link EventQueue}).
 *
 * <p>Adding never makes a system call: the thread is not woken per item but polls, sleeping 1 ms,
 * and up to 10 ms while idle, between looks. Waking it per item cost the forwarding path tens of
 * microseconds per message on a busy machine (TapBench ping-pong); a person or a program reading
 * the events does not notice 10 ms.
 *
 * <p>Usage: {@code PollingThread<Runnable> t = new PollingThread<>("zmqtap-work", Runnable::run); t.add(task); t.close();}
 */
final class PollingThread<T> implements AutoCloseable {
    private static final long MIN_IDLE_NANOS = 1_000_000;
    private static final long MAX_IDLE_NANOS = 10_000_000;

    private final Queue<T> queue = new ConcurrentLinkedQueue<>();
    private final Consumer<T> handler;
    private final Thread thread;
    private volatile boolean closed;

    /** Starts the thread (a daemon: it never keeps a JVM alive). {@code handler} must not throw. */
    PollingThread(String name, Consumer<T> handler) {
        this.handler = handler;
        this.thread = new Thread(this::work, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    void add(T item) {
        queue.add(item);
    }

    /** False once {@link #close()} was called. */
    boolean running() {
        return !closed && thread.isAlive();
    }

    private void work() {
        long idle = MIN_IDLE_NANOS;
        for (;;) {
            T item = queue.poll();
            if (item == null) {
                if (closed) {
                    return; // close() set the flag before the last poll found the queue empty
                }
                LockSupport.parkNanos(idle);
                idle = Math.min(idle * 2, MAX_IDLE_NANOS);
                continue;
            }
            idle = MIN_IDLE_NANOS;
            handler.accept(item);
        }
    }

    /** Handles what is queued, then stops the thread (waits at most 10 seconds). */
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
