package io.zmqtap.feed;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Keeps a feed subscriber's outgoing connections alive, following its socket's monitor events.
 *
 * <p>Two ways JeroMQ 0.6.0 leaves a connecting socket without its connection for good:
 * <ul>
 *   <li>A frame over the socket's {@code ZMQ_MAXMSGSIZE} (what keeps a feed's memory bounded) is a
 *       protocol error, and after a protocol error JeroMQ closes the connection and never opens it
 *       again: events {@code DISCONNECTED} and nothing more. A connection lost for any other reason
 *       is followed at once by {@code CONNECT_RETRIED}. So a disconnection without a retry is
 *       reconnected here, and reported once through {@code notices}.</li>
 *   <li>A connection that completed its TCP connect but never its handshake (JeroMQ's connect race,
 *       see {@link io.zmqtap.endpoint.HandshakeWatchdog}) is reconnected after {@code stallMillis};
 *       only for SUB and XSUB, whose subscriptions rule out the handshake timer other sockets use.</li>
 * </ul>
 * This does the watchdog's job too because a socket has only one monitor.
 *
 * <p>Not thread-safe: call {@link #check()} from the thread that owns the socket.
 *
 * <pre>{@code
 * FeedConnections connections = FeedConnections.watch(context, socket, Set.of("tcp://localhost:7777"), 500,
 *         notice -> System.err.println(notice));
 * socket.connect("tcp://localhost:7777");
 * while (running) { ... connections.check(); ... }
 * }</pre>
 */
final class FeedConnections implements AutoCloseable {
    /** How long a disconnection may wait for JeroMQ's own retry before it counts as for good. */
    static final long RETRY_GRACE_MILLIS = 200;
    private static final AtomicLong IDS = new AtomicLong();

    private final ZMQ.Socket socket;
    private final ZMQ.Socket events;
    private final Set<String> connected;
    private final boolean restartStalls;
    private final long stallNanos;
    private final String limit;
    private final Consumer<String> notices;
    private final Map<String, Long> handshaking = new HashMap<>();
    private final Set<String> up = new HashSet<>();
    private final Map<String, Long> lost = new HashMap<>();
    private final Set<String> reported = new HashSet<>();
    private volatile long drops;

    private FeedConnections(ZMQ.Socket socket, ZMQ.Socket events, Set<String> connected, long stallMillis,
                            String limit, Consumer<String> notices) {
        this.socket = socket;
        this.events = events;
        this.connected = Set.copyOf(connected);
        SocketType type = socket.getSocketType();
        this.restartStalls = type == SocketType.SUB || type == SocketType.XSUB;
        this.stallNanos = stallMillis * 1_000_000L;
        this.limit = limit;
        this.notices = notices;
    }

    /**
     * Starts watching {@code socket}; call before it connects.
     *
     * @param connected the addresses it will connect to, e.g. {@code tcp://localhost:7777}
     * @param limit the frame size limit as people read it, e.g. {@code 128 KiB}, for the notice
     */
    static FeedConnections watch(ZContext context, ZMQ.Socket socket, Set<String> connected, long stallMillis,
                                 String limit, Consumer<String> notices) {
        String address = "inproc://zmqtap-feed-connections-" + IDS.incrementAndGet();
        socket.monitor(address, ZMQ.EVENT_CONNECTED | ZMQ.EVENT_HANDSHAKE_PROTOCOL | ZMQ.EVENT_DISCONNECTED
                | ZMQ.EVENT_CONNECT_RETRIED | ZMQ.EVENT_CLOSED);
        ZMQ.Socket events = context.createSocket(SocketType.PAIR);
        events.setLinger(0);
        events.connect(address);
        return new FeedConnections(socket, events, connected, stallMillis, limit, notices);
    }

    /** Reads pending events and reconnects what JeroMQ gave up on or left stalled. */
    void check() {
        long now = System.nanoTime();
        ZMQ.Event e;
        while ((e = ZMQ.Event.recv(events, ZMQ.DONTWAIT)) != null) {
            String address = e.getAddress();
            int event = e.getEvent();
            if (event == ZMQ.EVENT_CONNECTED) {
                handshaking.put(address, now);
            } else if (event == ZMQ.EVENT_HANDSHAKE_PROTOCOL) {
                handshaking.remove(address);
                up.add(address);
            } else if (event == ZMQ.EVENT_DISCONNECTED) {
                handshaking.remove(address);
                if (up.remove(address) && connected.contains(address)) {
                    lost.put(address, now);
                }
            } else {
                // CONNECT_RETRIED: JeroMQ reconnects on its own; CLOSED: that attempt is over
                handshaking.remove(address);
                lost.remove(address);
            }
        }
        restart(lost, RETRY_GRACE_MILLIS * 1_000_000L, now, true);
        if (restartStalls) {
            restart(handshaking, stallNanos, now, false);
        }
    }

    private void restart(Map<String, Long> since, long afterNanos, long now, boolean dropped) {
        for (var it = since.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> entry = it.next();
            if (now - entry.getValue() < afterNanos) {
                continue;
            }
            it.remove();
            String address = entry.getKey();
            if (dropped) {
                drops++; // only this thread writes
                if (reported.add(address)) {
                    notices.accept("JeroMQ dropped the connection to " + address + " after a frame over the "
                            + limit + " limit (or a broken frame); reconnecting, but what was on its way is lost"
                            + " uncounted");
                }
            }
            socket.disconnect(address);
            socket.connect(address);
        }
    }

    /** Connections JeroMQ dropped for good (a frame over the limit) and this reopened. */
    long drops() {
        return drops;
    }

    @Override
    public void close() {
        events.close();
    }
}
