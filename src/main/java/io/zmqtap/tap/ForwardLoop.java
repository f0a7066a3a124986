package io.zmqtap.tap;

import io.zmqtap.endpoint.Closing;
import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.NoticeEvent;
import io.zmqtap.endpoint.BusyPoll;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Instant;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * A selector thread of the tap: waits for its sockets, busy-polling for a short spell after
 * traffic ({@link BusyPoll}: under steady traffic that saves a thread wake-up per hop), and hands
 * each ready key to {@link #handle}. Other threads give it work with {@link #execute}.
 *
 * <p>The tap has two: {@link TapLoop} reads clients (and accepts, connects, keeps the deadlines),
 * {@link OutLoop} reads upstreams. Why two, whatever the number of connections: one busy
 * connection's two directions then move in parallel, as they did with a thread per direction
 * (one thread for both forwarded about 15% fewer pipelined 16 B messages in six noisy
 * bench pairs on a shared two-CPU machine), and the
 * thread count still does not grow with the connections.
 *
 * <p>Usage: {@code loop.start(); loop.execute(() -> register(...)); ... loop.stop();}
 */
abstract class ForwardLoop {
    private static final int CHORES_EVERY = 64;

    protected final Selector selector;
    /** The chunk buffer of every flow this loop reads (see {@link Flow}): an idle connection holds none. */
    protected final ByteBuffer io = ByteBuffer.allocateDirect(Flow.CHUNK);
    private final BusyPoll poll;
    private final Decoding decoding;
    private final String source;
    private final Consumer<CaptureEvent> events;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    private int turns;

    /** @param source what the tap's own notices name as their source (see {@link WireTap#source()}) */
    ForwardLoop(String name, String source, BusyPoll poll, Decoding decoding, Consumer<CaptureEvent> events)
            throws IOException {
        this.selector = Selector.open();
        this.source = source;
        this.poll = poll;
        this.decoding = decoding;
        this.events = events;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true); // never keeps a JVM alive; WireTap.close() stops it explicitly
    }

    void start() {
        thread.start();
    }

    /** Stops the loop ({@link #stopping()} runs on its thread) and waits for it. */
    void stop() throws InterruptedException {
        running = false;
        selector.wakeup();
        thread.join(10_000);
    }

    /** Runs {@code task} on this loop's thread, soon (before it next sleeps). */
    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /** Makes the loop look at its keys now, e.g. after another thread closed one of its channels. */
    void wakeup() {
        selector.wakeup();
    }

    /** Serves one ready key. Must not throw for one connection's failures. */
    protected abstract void handle(SelectionKey key);

    /** Work that needs no input; runs when the loop would sleep, and every so often while busy. */
    protected void chores() {}

    /** How long the loop may sleep when idle, at least 1 ms (select(0) would sleep for ever). */
    protected long sleepMillis() {
        return 1_000;
    }

    /** Runs on the loop's thread when it stops, before the selector closes. */
    protected void stopping() {}

    private void run() {
        try {
            boolean busy = false;
            while (running) {
                for (Runnable t; (t = tasks.poll()) != null; ) {
                    t.run();
                }
                boolean ready = selector.selectNow() > 0 || (busy && poll.await(this::selectNowFinds));
                if (!ready) {
                    chores();
                    if (tasks.isEmpty() && running) {
                        selector.select(sleepMillis()); // execute() and stop() wake it
                    }
                } else if (++turns % CHORES_EVERY == 0) {
                    chores();
                }
                busy = !selector.selectedKeys().isEmpty();
                if (decoding.full()) {
                    decoding.awaitRoom(); // forward no faster than decoding keeps up, buffering little
                }
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    if (k.isValid()) {
                        handle(k);
                    }
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            // a bug (one connection's failures are handled in handle()): say so now, not at close
            events.accept(new NoticeEvent(Instant.now(), source, NoticeEvent.Level.ERROR,
                    "the tap stopped forwarding: " + e));
        } finally {
            stopping();
            Closing.quietly(selector);
        }
    }

    private boolean selectNowFinds() {
        try {
            return selector.selectNow() > 0;
        } catch (IOException e) {
            throw new IllegalStateException("selector failed: " + e.getMessage(), e);
        }
    }
}
