package io.zmqtap.testing;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Closes what a test opened, last opened first, even when some of them fail to close.
 *
 * <pre>{@code
 * private final Closer closer = new Closer();
 * @AfterEach void closeAll() { closer.close(); }
 * ... MonitoredQueue queue = closer.add(MonitoredQueue.builder()...start());
 * }</pre>
 */
public final class Closer implements AutoCloseable {
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    public synchronized <T extends AutoCloseable> T add(T resource) {
        resources.push(resource);
        return resource;
    }

    /** Closes everything; failures to close are reported together, after all were tried. */
    @Override
    public synchronized void close() {
        IllegalStateException failure = null;
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                if (failure == null) {
                    failure = new IllegalStateException("could not close every test resource");
                }
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
