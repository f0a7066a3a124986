package io.zmqtap.proxy;

import java.util.Map;

/**
 * A proxy's forwarding loop, whichever engine runs it: what {@link MonitoredQueue} and the
 * control socket ({@link Steering}) ask of it. {@link #run()} runs on the proxy's own thread; the
 * other methods are safe from any thread.
 */
interface Forwarder extends Runnable {
    void pause();

    void resume();

    boolean paused();

    /** Asks the loop to end; it closes what it owns on its way out. */
    void stop();

    boolean running();

    /** Why the loop stopped on its own, or {@code null}. */
    Throwable failure();

    /** Distinct topics subscribed on an XPUB capture socket. */
    int captureSubscriptions();

    /** Per-client counts when the frontend is a ROUTER; empty otherwise. */
    Map<String, SocketStatistics> peerStatistics();

    ProxyStatistics statistics();
}
