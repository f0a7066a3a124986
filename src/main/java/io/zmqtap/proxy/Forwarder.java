package io.zmqtap.proxy;

import java.util.Map;

/**
 * A proxy's forwarding loop, whichever engine runs it: what {@link MonitoredQueue} and the
 * control socket ({@link Steering}) ask of it, and the state they share with it. {@link #run()}
 * runs on the proxy's own thread; the other methods are safe from any thread.
 */
abstract class Forwarder implements Runnable {
    /** False once asked to stop (or failed); the loop ends soon after. */
    protected volatile boolean running = true;
    /** What {@link #pause()} and {@link #resume()} asked for; the loop acts on it. */
    protected volatile boolean pauseRequested;
    /** Why the loop stopped on its own, set by the loop. */
    protected volatile Throwable failure;

    /** Stops forwarding in both directions until {@link #resume()}. */
    final void pause() {
        pauseRequested = true;
        wake();
    }

    final void resume() {
        pauseRequested = false;
        wake();
    }

    final boolean paused() {
        return pauseRequested;
    }

    /** Asks the loop to end; it closes what it owns on its way out. */
    final void stop() {
        running = false;
        wake();
    }

    public final boolean running() {
        return running;
    }

    /** Why the loop stopped on its own, or {@code null}. */
    final Throwable failure() {
        return failure;
    }

    /**
     * Stops the loop because something it depends on broke (e.g. one of JeroMQ's threads died);
     * the first reason given is kept.
     */
    final void fail(Throwable why) {
        if (failure == null) {
            failure = why;
        }
        stop();
    }

    /** Makes a loop that may be waiting notice a change of state now; by default it notices on its next turn. */
    protected void wake() {}

    /** Distinct topics subscribed on an XPUB capture socket. */
    abstract int captureSubscriptions();

    /** Per-client counts when the frontend is a ROUTER; empty otherwise. */
    abstract Map<String, SocketStatistics> peerStatistics();

    abstract ProxyStatistics statistics();
}
