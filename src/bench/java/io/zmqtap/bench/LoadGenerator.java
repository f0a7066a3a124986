package io.zmqtap.bench;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import zmq.Msg;

/**
 * Plays one {@link Load} against an echo server (directly or through a proxy) and measures it:
 * the same client code for every setup, so only the path in between differs.
 *
 * <p>Round trips use a REQ socket. Pipelined loads use a DEALER that keeps at most {@code window}
 * requests outstanding, sending until the window is full, then taking every reply that is ready.
 * Every request carries the same read-only payload array (JeroMQ wraps it without copying). The
 * echo path is FIFO, so each reply is matched to the oldest outstanding send time.
 *
 * <p>The client's own queues have no high-water mark, like the echo server's, so any reply that
 * goes missing was dropped by the setup under test.
 *
 * <p>A run never hangs on a reply that does not come: after {@code duration} it waits at most
 * {@code drain} for the outstanding replies, then reports them as lost.
 *
 * <p>Usage:
 * <pre>{@code
 * try (LoadGenerator gen = LoadGenerator.connect(ctx, "tcp://127.0.0.1:41234", Load.pipelined(16, 100))) {
 *     gen.run(Duration.ofSeconds(1), Duration.ofSeconds(5));             // warm-up
 *     Measurement m = gen.run(Duration.ofSeconds(3), Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class LoadGenerator implements AutoCloseable {
    private static final int WAIT_MILLIS = 50;
    private static final int SEND_TIMEOUT_MILLIS = 200;
    private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final ZContext ctx;
    private final String address;
    private final Load load;
    private final byte[] payload;
    private ZMQ.Socket socket;

    private LoadGenerator(ZContext ctx, String address, Load load) {
        this.ctx = ctx;
        this.address = address;
        this.load = load;
        this.payload = new byte[load.size()];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) ('a' + i % 26);
        }
        this.socket = open();
    }

    /** Connects a client socket for {@code load} to {@code address}, e.g. {@code tcp://127.0.0.1:41234}. */
    public static LoadGenerator connect(ZContext ctx, String address, Load load) {
        return new LoadGenerator(ctx, address, load);
    }

    private ZMQ.Socket open() {
        ZMQ.Socket s = ctx.createSocket(load.kind() == Load.Kind.ROUND_TRIP ? SocketType.REQ : SocketType.DEALER);
        s.setLinger(0);
        s.setReceiveTimeOut(WAIT_MILLIS);
        s.setSendTimeOut(SEND_TIMEOUT_MILLIS);
        // No high-water mark on the harness side: a lost reply must be the setup's doing, not ours.
        s.setHWM(0);
        s.connect(address);
        return s;
    }

    /**
     * Sends one request and waits up to {@code timeout} for its reply: true when the path works.
     * On false the socket is replaced by a fresh one (a new connection), so the caller may retry.
     */
    public boolean probe(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean sent = load.kind() == Load.Kind.ROUND_TRIP ? socket.send(payload, 0) : sendRequest();
        if (sent && awaitReply(deadline)) {
            return true;
        }
        socket.close();
        socket = open();
        return false;
    }

    /** Sends load for {@code duration}, then waits up to {@code drain} for outstanding replies. */
    public Measurement run(Duration duration, Duration drain) {
        Histogram rtt = new Histogram(HIGHEST_NANOS, 3);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long deadline = end + drain.toNanos();
        long[] counts = load.kind() == Load.Kind.ROUND_TRIP
                ? roundTrips(rtt, end, deadline)
                : pipelined(rtt, end, deadline);
        long elapsed = counts[2] - start;
        return new Measurement(counts[0], counts[1], elapsed,
                micros(rtt, 50), micros(rtt, 99), micros(rtt, 99.9));
    }

    /** Returns {sent, received, time of the last reply or of giving up}. */
    private long[] roundTrips(Histogram rtt, long end, long deadline) {
        long sent = 0;
        long received = 0;
        long now = System.nanoTime();
        while (now < end) {
            long t0 = System.nanoTime();
            if (!socket.send(payload, 0)) {
                break;
            }
            sent++;
            if (!awaitReply(deadline)) {
                // A REQ that lost its reply cannot send again: start over with a fresh socket next run.
                socket.close();
                socket = open();
                break;
            }
            now = System.nanoTime();
            record(rtt, now - t0);
            received++;
        }
        return new long[] {sent, received, now};
    }

    private boolean awaitReply(long deadline) {
        while (System.nanoTime() < deadline) {
            if (receiveReply(0)) {
                return true;
            }
        }
        return false;
    }

    /** Returns {sent, received, time of the last reply or of giving up}. */
    private long[] pipelined(Histogram rtt, long end, long deadline) {
        int window = load.window();
        long[] sendTimes = new long[window];
        int oldest = 0;
        int outstanding = 0;
        long sent = 0;
        long received = 0;
        long last = System.nanoTime();
        while (true) {
            long now = System.nanoTime();
            if (now < end) {
                while (outstanding < window) {
                    long t0 = System.nanoTime();
                    if (!sendRequest()) {
                        break; // the path is full: take replies first
                    }
                    sendTimes[(oldest + outstanding) % window] = t0;
                    outstanding++;
                    sent++;
                }
            } else if (outstanding == 0 || now >= deadline) {
                break;
            }
            // Wait briefly for one reply, then take every reply already there before refilling.
            int flags = 0;
            while (outstanding > 0 && receiveReply(flags)) {
                last = System.nanoTime();
                record(rtt, last - sendTimes[oldest]);
                oldest = (oldest + 1) % window;
                outstanding--;
                received++;
                flags = ZMQ.DONTWAIT;
            }
        }
        // Time ends at the last reply: waiting in vain for lost replies must not dilute the rate.
        return new long[] {sent, received, last};
    }

    private boolean sendRequest() {
        // The empty delimiter makes the request look like a REQ's to the ROUTER on the other side.
        if (!socket.sendMsg(new Msg(), ZMQ.SNDMORE)) {
            return false;
        }
        return socket.sendMsg(new Msg(payload), 0);
    }

    /** Receives one whole reply; false when none came within the receive timeout (or none was ready). */
    private boolean receiveReply(int flags) {
        Msg msg = socket.recvMsg(flags);
        if (msg == null) {
            return false;
        }
        while (msg != null && msg.hasMore()) {
            msg = socket.recvMsg(0); // the rest of a multipart message is already here
        }
        return msg != null;
    }

    private static void record(Histogram h, long nanos) {
        h.recordValue(Math.min(Math.max(nanos, 0), HIGHEST_NANOS));
    }

    private static double micros(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }

    @Override
    public void close() {
        socket.close();
    }
}
