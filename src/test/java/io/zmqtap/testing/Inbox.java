package io.zmqtap.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Collects what a callback running on another thread hands over, for a test to take with a timeout.
 *
 * <pre>{@code
 * Inbox<CaptureEvent> events = new Inbox<>("feed events");
 * FeedSubscriber.builder(endpoint).onEvent(events).start();
 * List<CaptureEvent> first = events.take(10, Duration.ofSeconds(10));
 * }</pre>
 */
public final class Inbox<T> implements Consumer<T> {
    private final String name;
    private final BlockingQueue<T> items = new LinkedBlockingQueue<>();
    private final List<T> taken = new ArrayList<>();

    public Inbox(String name) {
        this.name = name;
    }

    @Override
    public void accept(T item) {
        items.add(item);
    }

    /** The next {@code count} items; fails, listing what did come, unless all arrive within {@code timeout}. */
    public List<T> take(int count, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        List<T> result = new ArrayList<>();
        try {
            while (result.size() < count) {
                T item = items.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (item == null) {
                    throw new AssertionError(name + ": " + result.size() + " of " + count + " items within "
                            + timeout.toMillis() + " ms: " + result + " (taken before: " + taken + ")");
                }
                result.add(item);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(name + ": interrupted after " + result, e);
        } finally {
            taken.addAll(result);
        }
        return result;
    }

    /** Items that arrived and were not taken yet, without waiting. */
    public List<T> drain() {
        List<T> rest = new ArrayList<>();
        items.drainTo(rest);
        return rest;
    }
}
