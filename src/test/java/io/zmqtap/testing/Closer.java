package io.zmqtap.testing;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Closes what a test opened, last opened first, even when some of them fail to close.
 *
 * <pre>{@code
 * private final Closer closer = new Closer();
 * @AfterEach void closeAll() throws Exception { closer.close(); }
 * ... MonitoredQueue queue = closer.add(MonitoredQueue.builder()...start());
 * }</pre>
 */
public final class Closer implements AutoCloseable {
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    public synchronized <T extends AutoCloseable> T add(T resource) {
        resources.push(resource);
        return resource;
    }

    @Override
    public synchronized void close() throws Exception {
        Exception first = null;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
