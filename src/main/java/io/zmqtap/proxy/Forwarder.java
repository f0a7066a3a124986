package io.zmqtap.proxy;

import io.zmqtap.ZmqTapException;
import io.zmqtap.event.StatisticsEvent;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A proxy's forwarding loop, whichever engine runs it: what {@link MonitoredQueue} and the
 * control socket ({@link Steering}) ask of it, and the state they share with it. {@link #run()}
 * runs on the proxy's own thread; the other methods are safe from any thread.
 */
abstract class Forwarder implements Runnable {
    /**
     * Heap held back for the way out: an {@code OutOfMemoryError} leaves none for the report of
     * what happened (the error line, the summary), so a failure gives this back first.
     */
    private static final int RESERVE = (int) Math.min(4L << 20, Runtime.getRuntime().maxMemory() / 32);
    private static final ZmqTapException FAILED = new ZmqTapException("the proxy failed");

    private volatile byte[] reserve = new byte[RESERVE];
    /** False once asked to stop (or failed); the loop ends soon after. */
    protected volatile boolean running = true;
    /** What {@link #pause()} and {@link #resume()} asked for; the loop acts on it. */
    protected volatile boolean pauseRequested;
    /** Why the loop stopped on its own, set by the loop. */
    protected volatile Throwable failure;
    /** The name its events carry as their source; set once the frontend is bound. */
    private volatile String source = "proxy";
    /** Clients refused per socket by the queue's ZAP handler; set once the sockets are made. */
    private volatile Supplier<Map<String, Long>> refused = Map::of;

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

    /** Gives back the heap held for reporting a failure (before building the report). */
    final void releaseReserve() {
        reserve = null;
    }

    /**
     * Stops the loop because something broke: the loop itself, or something it depends on (one of
     * JeroMQ's threads died). The first reason given is kept. Allocates nothing before the heap
     * held back for the report is given back, so it works after an {@code OutOfMemoryError} too.
     */
    final void fail(Throwable why) {
        releaseReserve();
        if (failure == null) {
            failure = why == null ? FAILED : why;
        }
        running = false;
        try {
            wake();
        } catch (Throwable e) {
            // the loop notices running = false on its next turn anyway
        }
    }

    /** The name its events and statistics carry as their source, e.g. {@code tcp://127.0.0.1:4444}. */
    final String source() {
        return source;
    }

    final void source(String name) {
        source = name;
    }

    /** Clients refused so far per socket that checks them (see {@link ProxyStatistics#refused()}). */
    final Map<String, Long> refused() {
        return refused.get();
    }

    final void refused(Supplier<Map<String, Long>> bySocket) {
        refused = bySocket;
    }

    /** Makes a loop that may be waiting notice a change of state now; by default it notices on its next turn. */
    protected void wake() {}

    /** Distinct topics subscribed on an XPUB capture socket. */
    abstract int captureSubscriptions();

    /** Per-client counts when the frontend is a ROUTER; empty otherwise. */
    abstract Map<String, SocketStatistics> peerStatistics();

    /** The same as statistics peers with role {@code client}, identified by routing id. */
    abstract List<StatisticsEvent.Peer> clientPeers();

    abstract ProxyStatistics statistics();
}
