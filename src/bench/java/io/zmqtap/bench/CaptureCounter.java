package io.zmqtap.bench;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import zmq.Msg;

/**
 * A SUB subscriber thread that counts capture messages (one multipart message is one capture),
 * the same for every setup that publishes a capture feed.
 *
 * <p>It is an ideal sniffer: a context (I/O thread) of its own, as a separate sniffer program would
 * have (as deployed, it runs in one: {@link SnifferProcess}), and an unbounded receive queue, so a
 * capture that never arrives was dropped by the setup's publisher (its own high-water mark), not
 * by a busy bench.
 *
 * <p>Usage:
 * <pre>{@code
 * try (CaptureCounter counter = CaptureCounter.start("tcp://127.0.0.1:41235")) {
 *     ... traffic ...
 *     long seen = CaptureCounter.settle(counter::count, expected, Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class CaptureCounter extends SocketLoop implements Sniffer {
    private static final int POLL_MILLIS = 50;
    private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final AtomicLong count = new AtomicLong();
    private final ZContext ctx;

    private CaptureCounter(ZContext ctx, ZMQ.Socket socket) {
        super(socket, "bench-capture-counter");
        this.ctx = ctx;
    }

    /** Connects a SUB to {@code address} (e.g. {@code tcp://127.0.0.1:41235}), subscribed to everything. */
    public static CaptureCounter start(String address) {
        ZContext ctx = new ZContext(1);
        ZMQ.Socket socket = ctx.createSocket(SocketType.SUB);
        socket.setReceiveTimeOut(POLL_MILLIS);
        socket.setLinger(0);
        // An ideal subscriber: its queue never fills, so every lost capture is the publisher's drop.
        socket.setRcvHWM(0);
        socket.subscribe(new byte[0]);
        socket.connect(address);
        CaptureCounter counter = new CaptureCounter(ctx, socket);
        counter.startThread();
        return counter;
    }

    /** Capture messages seen so far. */
    public long count() {
        return count.get();
    }

    /**
     * Waits until {@code count} (of any sniffer) reached {@code expected}, or stayed unchanged for a
     * quarter second, or {@code timeout} passed; returns the count then. Captures trail the traffic
     * they copy, and a dropped capture never arrives, so "quiet" is how a loss shows.
     */
    static long settle(LongSupplier count, long expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = count.getAsLong();
        long lastChange = System.nanoTime();
        while (last < expected) {
            long now = System.nanoTime();
            if (now - lastChange >= QUIET_NANOS || now >= deadline) {
                break;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            long c = count.getAsLong();
            if (c != last) {
                last = c;
                lastChange = System.nanoTime();
            }
        }
        return count.getAsLong();
    }

    @Override
    public void close() {
        super.close();
        ctx.close();
    }

    @Override
    protected void turn() {
        Msg msg = socket.recvMsg(0);
        if (msg != null && !msg.hasMore()) {
            count.incrementAndGet();
        }
    }
}
