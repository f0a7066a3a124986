package io.zmqtap.proxy;

/**
 * Runs a {@link CapturePublisher} on a thread of its own for the JeroMQ engine, whose forwarding
 * thread hands it captures through a {@link CaptureHandoff}.
 */
final class CaptureThread implements WireLoop.Owner, AutoCloseable {
    private volatile boolean running = true;
    private CaptureHandoff handoff;
    private WireLoop loop;
    private Thread thread;

    /** Wires it up and starts it; call once. */
    void start(WireLoop loop, CaptureHandoff handoff, String name) {
        this.loop = loop;
        this.handoff = handoff;
        this.thread = new Thread(loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    void wake() {
        if (loop != null) {
            loop.wake();
        }
    }

    @Override
    public boolean running() {
        return running;
    }

    @Override
    public boolean pauseRequested() {
        return false;
    }

    @Override
    public void chores() {
        handoff.drain();
    }

    @Override
    public void afterTurn() {
        handoff.drain();
    }

    @Override
    public long idleMillis() {
        return 100; // woken when a capture arrives (see CaptureHandoff)
    }

    /** Stops it; what subscribers have not read gets a second to leave (linger). */
    @Override
    public void close() {
        running = false;
        wake();
        if (thread != null) {
            try {
                thread.join(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
