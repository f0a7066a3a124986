package io.zmqtap.tap;

import io.zmqtap.endpoint.BusyPoll;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One accepted client connection, its upstream connection, and the two threads pumping between them.
 *
 * <pre>
 *   client --[pump "in":  client -> upstream, decoded as IN ]--> upstream
 *   client <--[pump "out": upstream -> client, decoded as OUT]-- upstream
 * </pre>
 *
 * The "in" thread first connects upstream (so a slow connect never holds up accepting), then
 * starts the "out" thread. A clean end of one direction is passed on as a half-close; a failure
 * in either tears down both sockets (with a reset, so each peer sees what its counterpart saw).
 */
final class TapConnection {
    private final SocketChannel client;
    private final Route route;
    private final ConnectionEvents events;
    private final int connectTimeoutMillis;
    private final Runnable onClosed;
    private final Duration busyPoll;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private volatile SocketChannel upstream;
    private volatile boolean aborted;
    private Pump in;
    private Pump out;
    private int finished;

    TapConnection(SocketChannel client, Route route, ConnectionEvents events, int connectTimeoutMillis,
            Duration busyPoll, Runnable onClosed) {
        this.busyPoll = busyPoll;
        this.client = client;
        this.route = route;
        this.events = events;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.onClosed = onClosed;
    }

    void start() {
        startThread("in", this::runIn);
    }

    private void startThread(String direction, Runnable body) {
        Thread t = new Thread(body, "zmqtap-" + events.id() + "-" + direction);
        t.setDaemon(true); // never keeps a JVM alive; WireTap.close() stops them explicitly
        threads.add(t);
        t.start();
    }

    private void runIn() {
        SocketChannel up;
        try {
            up = connectUpstream();
        } catch (IOException | RuntimeException e) {
            events.upstreamFailed(aborted ? "tap closed" : reason(e));
            Channels.closeQuietly(client);
            onClosed.run();
            return;
        }
        in = new Pump(client, up, events.in(), events.counters().bytesIn, BusyPoll.of(busyPoll));
        out = new Pump(up, client, events.out(), events.counters().bytesOut, BusyPoll.of(busyPoll));
        startThread("out", () -> finish(out.run()));
        finish(in.run());
    }

    private SocketChannel connectUpstream() throws IOException {
        SocketChannel up = SocketChannel.open();
        upstream = up;
        if (aborted) {
            up.close(); // close() ran before the channel existed
        }
        InetSocketAddress address = route.upstream().socketAddress();
        if (address.isUnresolved()) {
            up.close();
            throw new UnknownHostException("unknown host " + route.upstream().host());
        }
        try {
            up.socket().connect(address, connectTimeoutMillis);
            // Small messages must go out at once: Nagle would add tens of milliseconds per hop.
            up.setOption(StandardSocketOptions.TCP_NODELAY, true);
            client.setOption(StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException e) {
            up.close();
            throw e;
        }
        return up;
    }

    private static String reason(Exception e) {
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof SocketTimeoutException) {
            return "timed out";
        }
        if (e instanceof UnknownHostException) {
            return e.getMessage().startsWith("unknown host") ? e.getMessage() : "unknown host " + e.getMessage();
        }
        String msg = e.getMessage();
        return msg == null ? e.getClass().getSimpleName() : msg.toLowerCase(Locale.ROOT);
    }

    private void finish(Pump.Outcome outcome) {
        boolean last;
        synchronized (this) {
            last = ++finished == 2;
        }
        if (outcome == Pump.Outcome.FAILED) {
            abort();
        }
        if (last) {
            Channels.closeQuietly(client);
            Channels.closeQuietly(upstream);
            events.closed(in.bytes(), out.bytes());
            onClosed.run();
        }
    }

    /** Tears the connection down now: both sockets are reset and both pumps stop. */
    void abort() {
        aborted = true;
        reset(client);
        reset(upstream);
    }

    /** Waits up to {@code millis} for this connection's threads to end (the "out" thread may start late). */
    void join(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        for (int i = 0; i < threads.size(); i++) {
            threads.get(i).join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
    }

    private static void reset(SocketChannel c) {
        if (c == null) {
            return;
        }
        try {
            if (c.isOpen()) {
                c.setOption(StandardSocketOptions.SO_LINGER, 0); // close with RST, not FIN
            }
        } catch (IOException | RuntimeException e) {
            // already closed or never connected: closing below is all that is left to do
        }
        Channels.closeQuietly(c);
    }
}
